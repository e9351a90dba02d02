package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reading a family's timeline near one event. Walks outward from the event instead of slicing the whole
 * timeline, so the cost is the size of the neighbourhood, not of the family's history.
 */
final class Neighbourhood {

    private Neighbourhood() {
    }

    /** The events matching {@code p} with t in {@code [from, to]} (both inclusive), in SPEC §7 order; {@code x} is in the timeline. */
    static List<Event> around(FamilyTimeline timeline, Event x, Instant from, Instant to, Predicate<Event> p) {
        List<Event> found = new ArrayList<>();
        for (Event e : timeline.before(x)) {
            if (e.eventTimestamp().isBefore(from)) {
                break;
            }
            if (!e.eventTimestamp().isAfter(to) && p.test(e)) {
                found.add(e);
            }
        }
        Collections.reverse(found);
        Instant t = x.eventTimestamp();
        if (!t.isBefore(from) && !t.isAfter(to) && p.test(x)) {
            found.add(x);
        }
        for (Event e : timeline.after(x)) {
            if (e.eventTimestamp().isAfter(to)) {
                break;
            }
            if (!e.eventTimestamp().isBefore(from) && p.test(e)) {
                found.add(e);
            }
        }
        return found;
    }
}
