package dev.pulse.event;

import java.math.BigDecimal;

/**
 * Shared {@link BigDecimal}s for the values an engine makes over and over: whole numbers up to 127 (scores are
 * 0..100) and two-decimal means of scores (0.00..100.00). {@code BigDecimal.valueOf} shares only 0 to 10, and each
 * other value costs 40 B per counter row, matched event and metrics row; these are equal, and of the same scale.
 */
public final class Decimals {

    private static final BigDecimal[] WHOLE = new BigDecimal[128];
    /** Hundredths 0..10,000, made as first asked for: a partition meets a few hundred of them. */
    private static final BigDecimal[] HUNDREDTHS = new BigDecimal[10_001];

    static {
        for (int i = 0; i < WHOLE.length; i++) {
            WHOLE[i] = BigDecimal.valueOf(i);
        }
    }

    private Decimals() {
    }

    /** {@code BigDecimal.valueOf(value)}. */
    public static BigDecimal whole(long value) {
        return value >= 0 && value < WHOLE.length ? WHOLE[(int) value] : BigDecimal.valueOf(value);
    }

    /** {@code BigDecimal.valueOf(hundredths, 2)}. */
    public static BigDecimal hundredths(long hundredths) {
        if (hundredths < 0 || hundredths >= HUNDREDTHS.length) {
            return BigDecimal.valueOf(hundredths, 2);
        }
        BigDecimal shared = HUNDREDTHS[(int) hundredths];
        if (shared == null) {
            // Lanes may race to fill a slot: both store equal values, and BigDecimal's final fields make either safe to read.
            shared = BigDecimal.valueOf(hundredths, 2);
            HUNDREDTHS[(int) hundredths] = shared;
        }
        return shared;
    }
}
