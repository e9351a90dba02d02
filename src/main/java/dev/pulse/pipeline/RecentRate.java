package dev.pulse.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Records per second over the last {@code window} of wall-clock seconds, in one-second buckets
 * (SPEC §5.1 {@code events_per_second}). Until a whole window has passed since the first record, the
 * rate is over the seconds seen so far, so a lane that just started does not report a fraction of its
 * real rate. One per lane and not thread-safe: a lane's steps run one at a time.
 */
final class RecentRate {

    private final int windowSeconds;
    private final long[] second;
    private final long[] count;
    private long firstSecond = Long.MIN_VALUE;

    RecentRate(Duration window) {
        if (window.getSeconds() < 1) {
            throw new IllegalArgumentException("rate window must be at least 1s, was " + window);
        }
        this.windowSeconds = (int) Math.min(window.getSeconds(), 3600);
        this.second = new long[windowSeconds];
        this.count = new long[windowSeconds];
        Arrays.fill(second, Long.MIN_VALUE);
    }

    void record(Instant now, long records) {
        long s = now.getEpochSecond();
        int i = (int) Math.floorMod(s, (long) windowSeconds);
        if (second[i] != s) {
            second[i] = s;
            count[i] = 0;
        }
        count[i] += records;
        if (firstSecond == Long.MIN_VALUE) {
            firstSecond = s;
        }
    }

    /** Records per second in the seconds {@code (now − window, now]}; 0 before the first record. */
    double perSecond(Instant now) {
        if (firstSecond == Long.MIN_VALUE) {
            return 0;
        }
        long s = now.getEpochSecond();
        long sum = 0;
        for (int i = 0; i < windowSeconds; i++) {
            if (second[i] > s - windowSeconds && second[i] <= s) {
                sum += count[i];
            }
        }
        long span = Math.max(1, Math.min(windowSeconds, s - firstSecond + 1));
        return (double) sum / span;
    }
}
