package dev.pulse.ops;

import java.util.HashMap;
import java.util.Map;

/**
 * Tells when a partition stops making progress while records wait for it: its checkpointed offset has not moved
 * for {@code after} although the log holds more. Such a stall raises no error (no step runs, so no step timeout
 * fires), and twice a partition stopped for minutes after a burst in the test suite with nothing in the log: this is
 * the line that shows it. Reports a stall once, then again each further {@code after} it lasts. Pure; one thread.
 */
final class StallWatch {

    private final long afterNanos;
    private final Map<Integer, Progress> partitions = new HashMap<>();

    private static final class Progress {
        boolean seen;
        /** Whether records waited at the last observation: the stall's clock starts when they begin to. */
        boolean waiting;
        Long offset;
        long since;
        long reportedAt;
    }

    StallWatch(java.time.Duration after) {
        if (after.isNegative() || after.isZero()) {
            throw new IllegalArgumentException("after must be positive, was " + after);
        }
        this.afterNanos = after.toNanos();
    }

    /**
     * @param offset the partition's last checkpointed offset (null: none yet)
     * @param lag    records in the log after it
     * @param now    a monotonic time in nanoseconds
     * @return how long the partition has made no progress with records waiting, in nanoseconds, when that is to be
     *         reported now; -1 otherwise
     */
    long observe(int partition, Long offset, long lag, long now) {
        Progress p = partitions.computeIfAbsent(partition, k -> new Progress());
        if (!p.seen || !p.waiting || lag == 0 || !java.util.Objects.equals(p.offset, offset)) {
            p.seen = true;
            p.waiting = lag > 0;
            p.offset = offset;
            p.since = now;
            p.reportedAt = now;
            return -1;
        }
        if (now - p.reportedAt >= afterNanos) {
            p.reportedAt = now;
            return now - p.since;
        }
        return -1;
    }

    /** Forgets partitions not in {@code owned}: a partition taken back later starts afresh. */
    void retain(java.util.Set<Integer> owned) {
        partitions.keySet().retainAll(owned);
    }
}
