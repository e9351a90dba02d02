package dev.pulse.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Event-time timers of one partition: "this family's rolling figures change at instant T" (an event
 * leaving its 7- or 30-day range, SPEC §2). Fired when stream time reaches T, so a family's row stays
 * current without its next event and without polling every family. Mutable, single-threaded.
 * <p>
 * A family has at most one armed timer, its next expiry, kept on its slot; the engine arms the one after
 * it when it fires. One timer per family rather than two per event keeps the queue as small as the
 * partition's families. A timer replaced by an earlier one stays in the queue and is skipped when it
 * comes up.
 */
final class ExpiryTimers {

    private record Timer(Instant at, FamilySlot slot) {
        static final Comparator<Timer> ORDER =
                Comparator.comparing(Timer::at).thenComparing(timer -> timer.slot().familyId());
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>(Timer.ORDER);

    /** Arms the family's timer at {@code at}, unless one at or before {@code at} is already armed. */
    void arm(FamilySlot slot, Instant at) {
        if (slot.expiryArmedAt == null || at.isBefore(slot.expiryArmedAt)) {
            slot.expiryArmedAt = at;
            queue.add(new Timer(at, slot));
        }
    }

    /** Disarms and answers the families whose timers are at or before {@code streamTime}, in timer order. */
    List<FamilySlot> fire(Instant streamTime) {
        if (queue.isEmpty() || queue.peek().at().isAfter(streamTime)) {
            return List.of(); // the common case, asked on every arrival
        }
        List<FamilySlot> due = new ArrayList<>();
        while (!queue.isEmpty() && !queue.peek().at().isAfter(streamTime)) {
            Timer timer = queue.poll();
            if (timer.at().equals(timer.slot().expiryArmedAt)) {
                timer.slot().expiryArmedAt = null;
                due.add(timer.slot());
            }
        }
        return due;
    }
}
