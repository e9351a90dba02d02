package dev.pulse.engine;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Event-time timers of one partition: "this family's rolling figures change at instant T" (an event
 * leaving its 7- or 30-day range, SPEC §2). Fired when stream time reaches T, so a family's row stays
 * current without its next event and without polling every family. Mutable, single-threaded.
 */
final class ExpiryTimers {

    private record Timer(Instant at, String familyId) {
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>(
            Comparator.comparing(Timer::at).thenComparing(Timer::familyId));
    private final Set<Timer> scheduled = new HashSet<>();

    /** Schedules unless the same (instant, family) timer is already pending. */
    void schedule(Instant at, String familyId) {
        Timer timer = new Timer(at, familyId);
        if (scheduled.add(timer)) {
            queue.add(timer);
        }
    }

    /** Removes and answers the families whose timers are at or before {@code streamTime}. */
    Set<String> fire(Instant streamTime) {
        Set<String> due = new java.util.LinkedHashSet<>();
        while (!queue.isEmpty() && !queue.peek().at().isAfter(streamTime)) {
            Timer timer = queue.poll();
            scheduled.remove(timer);
            due.add(timer.familyId());
        }
        return due;
    }

    int size() {
        return queue.size();
    }
}
