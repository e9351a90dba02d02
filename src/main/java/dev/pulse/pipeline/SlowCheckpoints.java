package dev.pulse.pipeline;

import java.time.Duration;
import java.util.Optional;

/**
 * What to log about slow checkpoints: the first one at once (a live stream's tail is worth seeing as it happens),
 * then at most one line per {@code every}, counting the slow ones in between and naming the slowest. A backfill,
 * whose large batches routinely take over a second each, then logs one line a minute instead of several a second.
 * Thread-safe: checkpoints of different lanes complete on different database threads.
 */
final class SlowCheckpoints {

    private final long slowNanos;
    private final long everyNanos;
    private boolean logged;
    private long lastLineAt;
    private int suppressed;
    private String slowest;
    private long slowestNanos;

    SlowCheckpoints(Duration slow, Duration every) {
        this.slowNanos = slow.toNanos();
        this.everyNanos = every.toNanos();
    }

    /**
     * Records one checkpoint; answers the line to log, if any.
     *
     * @param nanos how long it took, first statement to commit
     * @param now   a monotonic clock in nanoseconds ({@link System#nanoTime()})
     */
    synchronized Optional<String> record(int partition, int events, long nanos, long now) {
        boolean slow = nanos >= slowNanos;
        boolean due = !logged || now - lastLineAt >= everyNanos;
        if (slow && !due) {
            suppressed++;
            if (nanos > slowestNanos) {
                slowestNanos = nanos;
                slowest = describe(partition, events, nanos);
            }
            return Optional.empty();
        }
        if (!slow && !(due && suppressed > 0)) {
            return Optional.empty();
        }
        String line;
        if (suppressed == 0) {
            line = describe(partition, events, nanos);
        } else {
            String latest = slow ? "; then " + describe(partition, events, nanos) : "";
            line = suppressed + " more checkpoints took over " + slowNanos / 1_000_000 + " ms in the last "
                    + (now - lastLineAt) / 1_000_000_000 + " s, the slowest " + slowest + latest;
        }
        logged = true;
        lastLineAt = now;
        suppressed = 0;
        slowest = null;
        slowestNanos = 0;
        return Optional.of(line);
    }

    private static String describe(int partition, int events, long nanos) {
        String what = events == 0 ? "an idle check's checkpoint (watermark only, no new events)"
                : "a checkpoint of " + events + " events";
        return "partition " + partition + ": " + what + " took " + nanos / 1_000_000 + " ms (first statement to commit)";
    }
}
