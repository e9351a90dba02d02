package dev.pulse.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

    /** {@link FamilySlot#expirySecond} of a family with no armed timer: no instant has this epoch second. */
    static final long NOT_ARMED = Long.MIN_VALUE;

    /** Each timer as its instant's epoch second and nanosecond: no record or instant per family. */
    private final SlotQueue queue = new SlotQueue();

    /** Arms the family's timer at {@code at}, unless one at or before {@code at} is already armed. */
    void arm(FamilySlot slot, Instant at) {
        arm(slot, at.getEpochSecond(), at.getNano());
    }

    /** {@link #arm(FamilySlot, Instant)} at {@code millis} (epoch ms). */
    void arm(FamilySlot slot, long millis) {
        arm(slot, Math.floorDiv(millis, 1000), (int) Math.floorMod(millis, 1000) * 1_000_000);
    }

    private void arm(FamilySlot slot, long second, int nano) {
        if (slot.expirySecond == NOT_ARMED || second < slot.expirySecond
                || second == slot.expirySecond && nano < slot.expiryNano) {
            slot.expirySecond = second;
            slot.expiryNano = nano;
            queue.add(second, nano, slot);
        }
    }

    /** Disarms and answers the families whose timers are at or before {@code streamTime}, in timer order. */
    List<FamilySlot> fire(Instant streamTime) {
        long second = streamTime.getEpochSecond();
        int nano = streamTime.getNano();
        if (queue.isEmpty() || queue.firstIsAfter(second, nano)) {
            return List.of(); // the common case, asked on every arrival
        }
        List<FamilySlot> due = new ArrayList<>();
        while (!queue.isEmpty() && !queue.firstIsAfter(second, nano)) {
            FamilySlot slot = queue.firstSlot();
            boolean armed = queue.firstMajor() == slot.expirySecond && queue.firstMinor() == slot.expiryNano;
            queue.removeFirst();
            if (armed) {
                slot.expirySecond = NOT_ARMED;
                due.add(slot);
            }
        }
        return due;
    }
}
