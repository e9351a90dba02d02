package dev.pulse.stream.operator;

import dev.pulse.event.Event;
import dev.pulse.event.EventType;
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
 * are also kept in primitive arrays beside it: a family's events are scattered over the heap, and a scan
 * that reads only these facts stays in a few cache lines instead of visiting every event object.
 * Event times are whole milliseconds (the validator truncates them, SPEC §7).
 */
public final class FamilyTimeline {

    private final String familyId;
    /** {@link #scoreAt} of an event without a score. */
    public static final int NO_SCORE = -1;

    /** Sized as the arrays beside it: most families hold a few events, and the default ten slots cost more. */
    private final ArrayList<Event> events = new ArrayList<>(4);
    private long[] millis = new long[4];
    private int[] scores = new int[4];
    /** {@link EventType#ordinal()} + 1, or 0 for a type Pulse only counts. */
    private byte[] kinds = new byte[4];

    public FamilyTimeline(String familyId) {
        this.familyId = familyId;
    }

    public String familyId() {
        return familyId;
    }

    /** Adds the event; false when an event with the same time and id is already held. */
    public boolean add(Event event) {
        // Refuses another family's event; a held event keeps the timeline's copy of the id, not its own.
        event.shareAggregateId(familyId);
        if (event.eventTimestamp().getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("event " + event.eventId() + " has a time finer than milliseconds: " + event.eventTimestamp());
        }
        int n = events.size();
        int at = n;
        long t = event.eventTimestamp().toEpochMilli();
        // The common case: the newest event of the family, told by the time array without reading the last event.
        if (n > 0 && (millis[n - 1] > t || (millis[n - 1] == t && Event.EVENT_TIME_ORDER.compare(events.get(n - 1), event) >= 0))) {
            int found = Collections.binarySearch(events, event, Event.EVENT_TIME_ORDER);
            if (found >= 0) {
                return false;
            }
            at = -found - 1;
        }
        events.add(at, event);
        insertFacts(at, event, n);
        return true;
    }

    private void insertFacts(int at, Event event, int n) {
        if (n == millis.length) {
            int capacity = Math.max(4, n + (n >> 1));
            millis = Arrays.copyOf(millis, capacity);
            scores = Arrays.copyOf(scores, capacity);
            kinds = Arrays.copyOf(kinds, capacity);
        }
        System.arraycopy(millis, at, millis, at + 1, n - at);
        System.arraycopy(scores, at, scores, at + 1, n - at);
        System.arraycopy(kinds, at, kinds, at + 1, n - at);
        millis[at] = event.eventTimestamp().toEpochMilli();
        scores[at] = event.newScore().orElse(NO_SCORE);
        kinds[at] = kindOf(event);
    }

    private static byte kindOf(Event event) {
        for (EventType type : TYPES) {
            if (event.is(type)) {
                return (byte) (type.ordinal() + 1);
            }
        }
        return 0;
    }

    private static final EventType[] TYPES = EventType.values();

    /** The time of the {@code i}-th event, oldest first, in epoch milliseconds. */
    public long millisAt(int i) {
        return millis[i];
    }

    /** The score of the {@code i}-th event, or {@link #NO_SCORE}. */
    public int scoreAt(int i) {
        return scores[i];
    }

    public boolean isAt(int i, EventType type) {
        return kinds[i] == type.ordinal() + 1;
    }

    public Event eventAt(int i) {
        return events.get(i);
    }

    /** The index of the first event with a time after {@code t} (epoch milliseconds); the size when none. */
    public int indexAfter(long t) {
        int lo = 0;
        int hi = events.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (millis[mid] > t) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    public int size() {
        return events.size();
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    /** All events, oldest first: a read-only live view. */
    public List<Event> all() {
        return Collections.unmodifiableList(events);
    }

    /** The oldest event; the timeline must not be empty. */
    public Event first() {
        if (events.isEmpty()) {
            throw new NoSuchElementException("timeline of " + familyId + " is empty");
        }
        return events.get(0);
    }

    /** The oldest event with t after {@code t}, or null. */
    public Event firstAfter(Instant t) {
        int i = firstIndexAfter(t);
        return i < events.size() ? events.get(i) : null;
    }

    /** Events with t in {@code [from, to]} (both inclusive), oldest first. */
    public List<Event> between(Instant from, Instant to) {
        if (to.isBefore(from)) {
            return List.of();
        }
        return List.copyOf(events.subList(firstIndexAtOrAfter(from), firstIndexAfter(to)));
    }

    /** Events with t in {@code [from, to]} matching {@code filter}, oldest first. */
    public List<Event> between(Instant from, Instant to, Predicate<Event> filter) {
        List<Event> matching = new ArrayList<>();
        if (to.isBefore(from)) {
            return matching;
        }
        for (int i = firstIndexAtOrAfter(from), end = firstIndexAfter(to); i < end; i++) {
            Event e = events.get(i);
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
        if (time.getNano() % 1_000_000 != 0 || !time.isAfter(FIRST_MILLI) || !time.isBefore(LAST_MILLI)) {
            return Collections.binarySearch(events, event, Event.EVENT_TIME_ORDER); // no held event has such a time
        }
        long t = time.toEpochMilli();
        int end = indexAfter(t);
        int i = indexAfter(t - 1);
        for (; i < end; i++) {
            int c = events.get(i).eventId().compareTo(event.eventId());
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
            int n = events.size();
            events.subList(0, dropped).clear();
            System.arraycopy(millis, dropped, millis, 0, n - dropped);
            System.arraycopy(scores, dropped, scores, 0, n - dropped);
            System.arraycopy(kinds, dropped, kinds, 0, n - dropped);
        }
        return dropped;
    }

    /** The index of the first event with t ≥ {@code t} (the size when none). */
    private int firstIndexAtOrAfter(Instant t) {
        if (!t.isAfter(FIRST_MILLI)) {
            return 0;
        }
        if (!t.isBefore(LAST_MILLI)) {
            return events.size();
        }
        // e ≥ t ⇔ e > ⌈t⌉ − 1ms, for whole-millisecond times e
        long floor = floorMillis(t);
        return indexAfter(t.getNano() % 1_000_000 == 0 ? floor - 1 : floor);
    }

    /** The index of the first event with t > {@code t} (the size when none). */
    private int firstIndexAfter(Instant t) {
        if (!t.isAfter(FIRST_MILLI)) {
            return 0;
        }
        return t.isBefore(LAST_MILLI) ? indexAfter(floorMillis(t)) : events.size();
    }

    /** Instants outside epoch-millisecond range are answered before any arithmetic: no event lies there. */
    private static final Instant FIRST_MILLI = Instant.ofEpochSecond(Long.MIN_VALUE / 1000 + 1);
    private static final Instant LAST_MILLI = Instant.ofEpochSecond(Long.MAX_VALUE / 1000 - 1);

    private static long floorMillis(Instant t) {
        return t.getEpochSecond() * 1000 + t.getNano() / 1_000_000;
    }

    private Iterator<Event> ascending(int from) {
        return new Iterator<>() {
            private int next = from;

            @Override
            public boolean hasNext() {
                return next < events.size();
            }

            @Override
            public Event next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return events.get(next++);
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
                return events.get(next--);
            }
        };
    }
}
