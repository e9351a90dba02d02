package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import dev.pulse.stream.time.EpochMillis;
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

    /**
     * The events matching {@code p} with t in {@code [from, to]} (both inclusive), in SPEC §7 order; {@code x} is in
     * the timeline. {@code p} is asked only of events whose kind ({@link FamilyTimeline#kindAt}) is among the bits of
     * {@code kinds}: others are passed over on the time array, without loading them (a dense family's window holds
     * many events of other types).
     */
    static List<Event> around(FamilyTimeline timeline, Event x, Instant from, Instant to, long kinds, Predicate<Event> p) {
        int i = timeline.search(x);
        int before = (i >= 0 ? i : -i - 1) - 1;
        int after = i >= 0 ? i + 1 : -i - 1;
        // Bounds are checked on the time array (whole milliseconds): an event object is read only when it is in range.
        long fromMs = EpochMillis.ceil(from);
        long toMs = EpochMillis.floor(to);
        // Made only when a second event is found: most neighbourhoods an arrival asks about hold it alone.
        List<Event> found = null;
        for (int j = before; j >= 0; j--) {
            long t = timeline.millisAt(j);
            if (t < fromMs) {
                break;
            }
            if (t <= toMs && (kinds >>> timeline.kindAt(j) & 1) != 0 && p.test(timeline.eventAt(j))) {
                found = found == null ? new ArrayList<>() : found;
                found.add(timeline.eventAt(j));
            }
        }
        if (found != null) {
            Collections.reverse(found);
        }
        Instant t = x.eventTimestamp();
        Event only = null;
        if (!t.isBefore(from) && !t.isAfter(to) && p.test(x)) {
            if (found != null) {
                found.add(x);
            } else {
                only = x;
            }
        }
        for (int j = after, n = timeline.size(); j < n; j++) {
            long tj = timeline.millisAt(j);
            if (tj > toMs) {
                break;
            }
            if (tj >= fromMs && (kinds >>> timeline.kindAt(j) & 1) != 0 && p.test(timeline.eventAt(j))) {
                if (found == null) {
                    found = new ArrayList<>();
                    if (only != null) {
                        found.add(only);
                    }
                }
                found.add(timeline.eventAt(j));
            }
        }
        return found != null ? found : only != null ? List.of(only) : List.of();
    }
}
