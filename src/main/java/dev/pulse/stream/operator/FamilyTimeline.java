package dev.pulse.stream.operator;

import dev.pulse.event.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * One family's distinct events in SPEC §7 order (event time, then event id): the buffer that rules and
 * rolling metrics are predicates over (CONVENTIONS §3.7). Holding the events by time, not by arrival,
 * is what makes every result computed from it independent of arrival order. Mutable, single-threaded:
 * owned by one partition lane. Events older than the horizon the caller names are pruned.
 */
public final class FamilyTimeline {

    private final String familyId;
    private final NavigableSet<Event> events = new TreeSet<>(Event.EVENT_TIME_ORDER);

    public FamilyTimeline(String familyId) {
        this.familyId = familyId;
    }

    public String familyId() {
        return familyId;
    }

    /** Adds the event; false when an event with the same id, time and type order key is already held. */
    public boolean add(Event event) {
        if (!event.aggregateId().equals(familyId)) {
            throw new IllegalArgumentException("event " + event.eventId() + " belongs to " + event.aggregateId() + ", not " + familyId);
        }
        return events.add(event);
    }

    public int size() {
        return events.size();
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    /** All events, oldest first. */
    public NavigableSet<Event> all() {
        return Collections.unmodifiableNavigableSet(events);
    }

    /** Events with t in {@code [from, to]} (both inclusive), oldest first. */
    public List<Event> between(Instant from, Instant to) {
        if (to.isBefore(from)) {
            return List.of();
        }
        return List.copyOf(events.subSet(lowest(from), true, highest(to), true));
    }

    /** Events with t in {@code [from, to]} matching {@code filter}, oldest first. */
    public List<Event> between(Instant from, Instant to, Predicate<Event> filter) {
        List<Event> matching = new ArrayList<>();
        for (Event e : between(from, to)) {
            if (filter.test(e)) {
                matching.add(e);
            }
        }
        return matching;
    }

    /** The events strictly before {@code event} in SPEC §7 order, newest first. */
    public Iterable<Event> before(Event event) {
        return events.headSet(event, false).descendingSet();
    }

    /** The events strictly after {@code event} in SPEC §7 order, oldest first. */
    public Iterable<Event> after(Event event) {
        return events.tailSet(event, false);
    }

    /** Forgets events with t before {@code horizon}; answers how many were dropped. */
    public int pruneBefore(Instant horizon) {
        int dropped = 0;
        while (!events.isEmpty() && events.first().eventTimestamp().isBefore(horizon)) {
            events.pollFirst();
            dropped++;
        }
        return dropped;
    }

    /** A probe that sorts before every event at {@code t}: an empty event id is never valid. */
    private Event lowest(Instant t) {
        return new Event("", "", familyId, t, 1, java.util.Map.of());
    }

    /** A probe that sorts after every event at {@code t}: ids are at most 100 characters. */
    private Event highest(Instant t) {
        return new Event("\uffff".repeat(101), "", familyId, t, 1, java.util.Map.of());
    }
}
