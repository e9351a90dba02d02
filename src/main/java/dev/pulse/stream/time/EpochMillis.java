package dev.pulse.stream.time;

import java.time.Instant;

/**
 * An instant as epoch milliseconds rounded down, for comparisons with event times (whole milliseconds, SPEC §7)
 * that do not read the instant again: for a whole-millisecond t, {@code t > x} exactly when
 * {@code t > floor(x)}.
 */
public final class EpochMillis {

    /** Within these seconds {@code s·1000 + ms} cannot overflow. */
    private static final long MIN_SAFE_SECOND = Long.MIN_VALUE / 1000 + 1;
    private static final long MAX_SAFE_SECOND = Long.MAX_VALUE / 1000 - 1;
    /** Beyond these seconds {@code s·1000 + ms} overflows whatever the milliseconds. */
    private static final long FIRST_SECOND = Long.MIN_VALUE / 1000 - 1;
    private static final long LAST_SECOND = Long.MAX_VALUE / 1000;

    private EpochMillis() {
    }

    /**
     * {@code floor(t)} in epoch milliseconds; beyond a {@code long}'s range, {@link Long#MIN_VALUE} or
     * {@link Long#MAX_VALUE} (still below, or above, every time that fits).
     */
    public static long floor(Instant t) {
        long second = t.getEpochSecond();
        if (second >= MIN_SAFE_SECOND && second <= MAX_SAFE_SECOND) {
            return second * 1000 + t.getNano() / 1_000_000; // nanos are ≥ 0, so this rounds down before 1970 too
        }
        // Answered without an exception: the engine floors Instant.MIN (a walk from the start) at every fresh walk,
        // and a thrown ArithmeticException deoptimises the caller each time.
        if (second < FIRST_SECOND) {
            return Long.MIN_VALUE;
        }
        if (second > LAST_SECOND) {
            return Long.MAX_VALUE;
        }
        try {
            return t.toEpochMilli();
        } catch (ArithmeticException e) {
            return second < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * The smallest whole millisecond at or after {@code t} (saturating as {@link #floor}): for a whole-millisecond
     * event time e, {@code e < t} exactly when {@code e < ceil(t)}.
     */
    public static long ceil(Instant t) {
        long floor = floor(t);
        return t.getNano() % 1_000_000 != 0 && floor != Long.MAX_VALUE ? floor + 1 : floor;
    }
}
