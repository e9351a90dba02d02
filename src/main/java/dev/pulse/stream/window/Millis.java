package dev.pulse.stream.window;

import java.time.Duration;
import java.time.Instant;

/**
 * Epoch milliseconds for the counters' hot path. Event times and window bounds are whole milliseconds
 * (SPEC §7), so comparing them as longs is exact; comparing {@link Instant}s costs a call per field and
 * building them an allocation. Sums saturate instead of overflowing, so an absurd allowed lateness
 * means "never" rather than an exception.
 */
final class Millis {

    /** No deadline: later than every time a watermark can reach. */
    static final long NEVER = Long.MAX_VALUE;

    private Millis() {
    }

    /** {@code d} rounded up to the millisecond: "W ≥ end + d" for a whole-millisecond W. */
    static long ceil(Duration d) {
        try {
            long ms = d.toMillis();
            return d.minusMillis(ms).isZero() ? ms : ms + 1;
        } catch (ArithmeticException beyondLong) {
            return NEVER;
        }
    }

    /** {@code t + d} for {@code d ≥ 0}, held below {@link #NEVER} so a real deadline is never mistaken for none. */
    static long plus(long t, long d) {
        return t > NEVER - 1 - d ? NEVER - 1 : t + d;
    }
}
