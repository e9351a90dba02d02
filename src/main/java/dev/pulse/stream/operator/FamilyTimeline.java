package dev.pulse.stream.operator;

import dev.pulse.event.Event;
import java.time.Instant;
import java.util.ArrayList;
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
 * scan neighbours, which an array does without allocating a node walk.
 */
public final class FamilyTimeline {

    private final String familyId;
    private final ArrayList<Event> events = new ArrayList<>();

    public FamilyTimeline(String familyId) {
        this.familyId = familyId;
    }

    public String familyId() {
        return familyId;
    }

    /** Adds the event; false when an event with the same time and id is already held. */
    public boolean add(Event event) {
        if (!event.aggregateId().equals(familyId)) {
            throw new IllegalArgumentException("event " + event.eventId() + " belongs to " + event.aggregateId() + ", not " + familyId);
        }
        int n = events.size();
        // The common case: the newest event of the family.
        if (n == 0 || Event.EVENT_TIME_ORDER.compare(events.get(n - 1), event) < 0) {
            events.add(event);
            return true;
        }
        int at = Collections.binarySearch(events, event, Event.EVENT_TIME_ORDER);
        if (at >= 0) {
            return false;
        }
        events.add(-at - 1, event);
        return true;
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

    /** Events with t at or before {@code to}, newest first. */
    public Iterable<Event> newestFirstUpTo(Instant to) {
        int from = firstIndexAfter(to) - 1;
        return () -> descending(from);
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
        int i = Collections.binarySearch(events, event, Event.EVENT_TIME_ORDER);
        int from = (i >= 0 ? i : -i - 1) - 1;
        return () -> descending(from);
    }

    /** The events strictly after {@code event} in SPEC §7 order, oldest first (whether or not it is held). */
    public Iterable<Event> after(Event event) {
        int i = Collections.binarySearch(events, event, Event.EVENT_TIME_ORDER);
        int from = i >= 0 ? i + 1 : -i - 1;
        return () -> ascending(from);
    }

    /** Forgets events with t before {@code horizon}; answers how many were dropped. */
    public int pruneBefore(Instant horizon) {
        int dropped = firstIndexAtOrAfter(horizon);
        if (dropped > 0) {
            events.subList(0, dropped).clear();
        }
        return dropped;
    }

    /** The index of the first event with t ≥ {@code t} (the size when none). */
    private int firstIndexAtOrAfter(Instant t) {
        int lo = 0;
        int hi = events.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (events.get(mid).eventTimestamp().isBefore(t)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The index of the first event with t > {@code t} (the size when none). */
    private int firstIndexAfter(Instant t) {
        int lo = 0;
        int hi = events.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (events.get(mid).eventTimestamp().isAfter(t)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
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
