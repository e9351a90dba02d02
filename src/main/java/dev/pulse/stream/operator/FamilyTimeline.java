package dev.pulse.stream.operator;

import dev.pulse.event.Event;
import dev.pulse.event.EventType;
import dev.pulse.stream.time.EpochMillis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * One family's distinct events in SPEC §7 order (event time, then event id): the buffer that rules and
 * rolling metrics are predicates over (CONVENTIONS §3.7). Holding the events by time, not by arrival,
 * is what makes every result computed from it independent of arrival order. Mutable, single-threaded:
 * owned by one partition lane. Events older than the horizon the caller names are pruned.
 * <p>
 * A sorted array, not a tree: events arrive nearly in time order, so an insert is an append or a short
 * shift at the end, and the readers (rules walking out from an event, metrics walking back from now)
 * scan neighbours, which an array does without allocating a node walk. Each event's time, score and type
 * are also kept beside it, packed into one {@code long} ({@link #pack}): a family's events are scattered over
 * the heap, and a scan that reads only these facts stays in a few cache lines instead of visiting every event
 * object. Two arrays rather than an {@code ArrayList} and four: a family holds a few events for days, and a
 * million families must fit in 2 GiB (issue 7), where each array header and list object is 16 to 24 bytes.
 * Event times are whole milliseconds (the validator truncates them, SPEC §7).
 */
public final class FamilyTimeline {

    private final String familyId;
    /** {@link #scoreAt} of an event without a score. */
    public static final int NO_SCORE = -1;

    /** Sized for a few events: most families hold a few, and the default ten slots cost more. */
    private Event[] events = new Event[4];
    /** Per event: its time in epoch milliseconds, its score + 1 and its kind ({@link EventType#ordinal()} + 1, 0 for a type Pulse only counts). */
    private long[] facts = new long[4];
    private int size;

    /** Low bits of a fact: 7 for the score + 1 (0..101), 4 for the kind; the time is the rest, signed. */
    private static final int KIND_BITS = 4;
    private static final int SCORE_BITS = 7;
    private static final int TIME_SHIFT = KIND_BITS + SCORE_BITS;
    private static final EventType[] TYPES = EventType.values();

    static {
        if (TYPES.length >= 1 << KIND_BITS) {
            throw new ExceptionInInitializerError(TYPES.length + " event types do not fit in " + KIND_BITS + " bits");
        }
    }

    public FamilyTimeline(String familyId) {
        this.familyId = familyId;
    }

    /**
     * The newest facts {@link #prefetch} reads: a week of a busy family's events; a longer timeline's older lines
     * are read only when a search or a scan reaches them.
     */
    private static final int PREFETCH_FACTS = 64;

    /**
     * Reads what an arrival and a computation read first of these timelines (the first {@code n}; nulls are
     * skipped), for a caller reading ahead ({@code engine.ReadAhead}): the family id's bytes (a lookup by id compares
     * them), each cache line of the newest {@link #PREFETCH_FACTS} facts (the rules and the metrics search and scan
     * them), and the two newest events. Changes nothing; answers a sum of what it read.
     */
    public static long prefetch(Object[] timelines, int n) {
        long sink = 0;
        for (int k = 0; k < n; k++) {
            if (timelines[k] instanceof FamilyTimeline timeline) {
                int size = timeline.size;
                sink += timeline.familyId.length();
                long[] facts = timeline.facts;
                for (int i = size - 1; i >= Math.max(0, size - PREFETCH_FACTS); i -= Long.SIZE / Byte.SIZE) {
                    sink += facts[i]; // a 64 B line holds eight
                }
                Event[] events = timeline.events;
                for (int i = Math.max(0, size - 2); i < size; i++) {
                    sink += events[i].schemaVersion();
                }
            }
        }
        return sink;
    }

    public String familyId() {
        return familyId;
    }

    /** Adds the event; false when an event with the same time and id is already held. */
    public boolean add(Event event) {
        // Refuses another family's event; a held event keeps the timeline's copy of the id, not its own.
        event.shareAggregateId(familyId);
        if (!event.isWholeMillisecond()) {
            throw new IllegalArgumentException("event " + event.eventId() + " has a time finer than milliseconds: " + event.eventTimestamp());
        }
        long fact = pack(event);
        int n = size;
        int at = n;
        long t = event.eventMillis();
        // The common case: the newest event of the family, told by the time array without reading the last event.
        if (n > 0 && (millisAt(n - 1) > t || (millisAt(n - 1) == t && Event.EVENT_TIME_ORDER.compare(events[n - 1], event) >= 0))) {
            int found = search(event);
            if (found >= 0) {
                return false;
            }
            at = -found - 1;
        }
        if (n == events.length) {
            int capacity = Math.max(4, n + (n >> 1));
            events = Arrays.copyOf(events, capacity);
            facts = Arrays.copyOf(facts, capacity);
        }
        System.arraycopy(events, at, events, at + 1, n - at);
        System.arraycopy(facts, at, facts, at + 1, n - at);
        events[at] = event;
        facts[at] = fact;
        size = n + 1;
        return true;
    }

    private static long pack(Event event) {
        long t = event.eventMillis();
        if ((t << TIME_SHIFT) >> TIME_SHIFT != t) {
            throw new IllegalArgumentException("event " + event.eventId() + " has a time beyond what a timeline holds: " + event.eventTimestamp());
        }
        int score = event.newScore().orElse(NO_SCORE);
        if (score < NO_SCORE || score + 1 >= 1 << SCORE_BITS) {
            throw new IllegalArgumentException("event " + event.eventId() + " has a score outside 0..100: " + score);
        }
        return t << TIME_SHIFT | (long) (score + 1) << KIND_BITS | kindOf(event);
    }

    private static int kindOf(Event event) {
        for (EventType type : TYPES) {
            if (event.is(type)) {
                return kindOf(type);
            }
        }
        return OTHER_KIND;
    }

    /**
     * The {@code i}-th event's time, score and kind packed in one {@code long}, for a reader that scans many events and
     * decodes each fact once ({@link #millisOf}, {@link #scoreOf}, {@link #kindOf(long)}).
     */
    public long factAt(int i) {
        return facts[checked(i)];
    }

    /** {@link #millisAt} of a {@link #factAt fact}. */
    public static long millisOf(long fact) {
        return fact >> TIME_SHIFT;
    }

    /** {@link #scoreAt} of a {@link #factAt fact}. */
    public static int scoreOf(long fact) {
        return (int) (fact >>> KIND_BITS & (1 << SCORE_BITS) - 1) - 1;
    }

    /** {@link #kindAt} of a {@link #factAt fact}. */
    public static int kindOf(long fact) {
        return (int) (fact & (1 << KIND_BITS) - 1);
    }

    /** The time of the {@code i}-th event, oldest first, in epoch milliseconds. */
    public long millisAt(int i) {
        return facts[checked(i)] >> TIME_SHIFT;
    }

    /** The score of the {@code i}-th event, or {@link #NO_SCORE}. */
    public int scoreAt(int i) {
        return (int) (facts[checked(i)] >>> KIND_BITS & (1 << SCORE_BITS) - 1) - 1;
    }

    /**
     * The kind of the {@code i}-th event: its type's {@link EventType#ordinal()} + 1, or {@link #OTHER_KIND} for a type
     * Pulse only counts. Read from the packed facts, so a reader can skip events of other types without loading them.
     */
    public int kindAt(int i) {
        return (int) (facts[checked(i)] & (1 << KIND_BITS) - 1);
    }

    /** {@link #kindAt} of an event whose type Pulse does not know. */
    public static final int OTHER_KIND = 0;

    /** {@link #kindAt} of an event of this type. */
    public static int kindOf(EventType type) {
        return type.ordinal() + 1;
    }

    public boolean isAt(int i, EventType type) {
        return kindAt(i) == kindOf(type);
    }

    public Event eventAt(int i) {
        return events[checked(i)];
    }

    /** The arrays have spare slots past the size: an index there is as wrong as one past the array. */
    private int checked(int i) {
        if (i >= size) {
            throw new IndexOutOfBoundsException("index " + i + " of a timeline of " + size + " events");
        }
        return i;
    }

    /** The index of the first event with a time after {@code t} (epoch milliseconds); the size when none. */
    public int indexAfter(long t) {
        int hi = size;
        // Most readers ask as of the stream time, after every event: one read of the newest, not a search.
        if (hi == 0 || facts[hi - 1] >> TIME_SHIFT <= t) {
            return hi;
        }
        int lo = 0;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (facts[mid] >> TIME_SHIFT > t) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** All events, oldest first: a read-only live view. */
    public List<Event> all() {
        return Collections.unmodifiableList(Arrays.asList(events).subList(0, size));
    }

    /** The oldest event; the timeline must not be empty. */
    public Event first() {
        if (size == 0) {
            throw new NoSuchElementException("timeline of " + familyId + " is empty");
        }
        return events[0];
    }

    /** The oldest event with t after {@code t}, or null. */
    public Event firstAfter(Instant t) {
        int i = firstIndexAfter(t);
        return i < size ? events[i] : null;
    }

    /** Events with t in {@code [from, to]} (both inclusive), oldest first. */
    public List<Event> between(Instant from, Instant to) {
        if (to.isBefore(from)) {
            return List.of();
        }
        return List.of(Arrays.copyOfRange(events, firstIndexAtOrAfter(from), firstIndexAfter(to)));
    }

    /** Events with t in {@code [from, to]} matching {@code filter}, oldest first. */
    public List<Event> between(Instant from, Instant to, Predicate<Event> filter) {
        List<Event> matching = new ArrayList<>();
        if (to.isBefore(from)) {
            return matching;
        }
        for (int i = firstIndexAtOrAfter(from), end = firstIndexAfter(to); i < end; i++) {
            Event e = events[i];
            if (filter.test(e)) {
                matching.add(e);
            }
        }
        return matching;
    }

    /** The events strictly before {@code event} in SPEC §7 order, newest first (whether or not it is held). */
    public Iterable<Event> before(Event event) {
        int i = search(event);
        int from = (i >= 0 ? i : -i - 1) - 1;
        return () -> descending(from);
    }

    /** The events strictly after {@code event} in SPEC §7 order, oldest first (whether or not it is held). */
    public Iterable<Event> after(Event event) {
        int i = search(event);
        int from = i >= 0 ? i + 1 : -i - 1;
        return () -> ascending(from);
    }

    /**
     * Where {@code event} is in SPEC §7 order, as {@link Collections#binarySearch} answers: its index when held,
     * else {@code −(insertion point) − 1}. Searched in the time array; event objects are read only among
     * events of the same millisecond, to compare ids.
     */
    public int search(Event event) {
        Instant time = event.eventTimestamp();
        long t = EpochMillis.floor(time);
        if (time.getNano() % 1_000_000 != 0 || t == Long.MIN_VALUE || t == Long.MAX_VALUE) {
            return Arrays.binarySearch(events, 0, size, event, Event.EVENT_TIME_ORDER); // no held event has such a time
        }
        int end = indexAfter(t);
        int i = indexAfter(t - 1);
        for (; i < end; i++) {
            int c = events[i].eventId().compareTo(event.eventId());
            if (c == 0) {
                return i;
            }
            if (c > 0) {
                break;
            }
        }
        return -i - 1;
    }

    /** Forgets events with t before {@code horizon}; answers how many were dropped. */
    public int pruneBefore(Instant horizon) {
        int dropped = firstIndexAtOrAfter(horizon);
        if (dropped > 0) {
            int n = size;
            System.arraycopy(events, dropped, events, 0, n - dropped);
            System.arraycopy(facts, dropped, facts, 0, n - dropped);
            // The pruned events are released, not kept alive by stale slots.
            Arrays.fill(events, n - dropped, n, null);
            size = n - dropped;
        }
        return dropped;
    }

    /** The index of the first event with t ≥ {@code t} (the size when none). */
    private int firstIndexAtOrAfter(Instant t) {
        long floor = EpochMillis.floor(t);
        if (floor == Long.MIN_VALUE) {
            return 0; // before every time that fits in a long, so before every event
        }
        // e ≥ t ⇔ e > ⌈t⌉ − 1ms, for whole-millisecond times e
        return indexAfter(t.getNano() % 1_000_000 == 0 ? floor - 1 : floor);
    }

    /** The index of the first event with t > {@code t} (the size when none). */
    private int firstIndexAfter(Instant t) {
        return indexAfter(EpochMillis.floor(t));
    }

    private Iterator<Event> ascending(int from) {
        return new Iterator<>() {
            private int next = from;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public Event next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return events[next++];
            }
        };
    }

    private Iterator<Event> descending(int from) {
        return new Iterator<>() {
            private int next = from;

            @Override
            public boolean hasNext() {
                return next >= 0;
            }

            @Override
            public Event next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return events[next--];
            }
        };
    }
}
