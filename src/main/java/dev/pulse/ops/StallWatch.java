package dev.pulse.ops;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Tells when a partition stops making progress while records wait for it: its checkpointed offset has not moved
 * for {@code after} although the log holds more. Such a stall raises no error (no step runs, so no step timeout
 * fires), and twice a partition stopped for minutes after a burst in the test suite with nothing in the log: this is
 * the line that shows it. Reports a stall once, then again each further {@code after} it lasts. Pure; one thread.
 */
final class StallWatch {

    private final long afterNanos;
    /** The partitions with records waiting, from when their offset last moved (or records began to wait). */
    private final Map<Integer, Waiting> partitions = new HashMap<>();

    private static final class Waiting {
        final Long offset;
        final long since;
        long reportedAt;

        Waiting(Long offset, long since) {
            this.offset = offset;
            this.since = since;
            this.reportedAt = since;
        }
    }

    StallWatch(Duration after) {
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
        if (lag == 0) {
            partitions.remove(partition); // caught up: idle, not stalled
            return -1;
        }
        Waiting w = partitions.get(partition);
        if (w == null || !Objects.equals(w.offset, offset)) {
            partitions.put(partition, new Waiting(offset, now));
            return -1;
        }
        if (now - w.reportedAt >= afterNanos) {
            w.reportedAt = now;
            return now - w.since;
        }
        return -1;
    }

    /** Forgets partitions not in {@code owned}: a partition taken back later starts afresh. */
    void retain(Set<Integer> owned) {
        partitions.keySet().retainAll(owned);
    }
}
