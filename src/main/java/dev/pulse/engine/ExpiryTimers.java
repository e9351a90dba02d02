package dev.pulse.engine;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Event-time timers of one partition: "this family's rolling figures change at instant T" (an event
 * leaving its 7- or 30-day range, SPEC §2). Fired when stream time reaches T, so a family's row stays
 * current without its next event and without polling every family. Mutable, single-threaded.
 * <p>
 * A family has at most one armed timer, its next expiry; the engine arms the one after it when it fires.
 * One timer per family rather than two per event keeps the queue as small as the partition's families.
 * A timer replaced by an earlier one stays in the queue and is skipped when it comes up.
 */
final class ExpiryTimers {

    private record Timer(Instant at, String familyId) {
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>(
            Comparator.comparing(Timer::at).thenComparing(Timer::familyId));
    private final Map<String, Instant> armed = new HashMap<>();

    /** Arms the family's timer at {@code at}, unless one at or before {@code at} is already armed. */
    void arm(String familyId, Instant at) {
        Instant current = armed.get(familyId);
        if (current == null || at.isBefore(current)) {
            armed.put(familyId, at);
            queue.add(new Timer(at, familyId));
        }
    }

    /** Disarms and answers the families whose timers are at or before {@code streamTime}. */
    Set<String> fire(Instant streamTime) {
        Set<String> due = new LinkedHashSet<>();
        while (!queue.isEmpty() && !queue.peek().at().isAfter(streamTime)) {
            Timer timer = queue.poll();
            if (timer.at().equals(armed.get(timer.familyId()))) {
                armed.remove(timer.familyId());
                due.add(timer.familyId());
            }
        }
        return due;
    }

    /** The families with an armed timer. */
    int size() {
        return armed.size();
    }
}
