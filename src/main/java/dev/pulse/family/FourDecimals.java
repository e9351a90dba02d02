package dev.pulse.family;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A double rounded to four decimals half-up, exactly as {@code BigDecimal.valueOf(x).setScale(4, HALF_UP)}
 * answers (the decimal {@link Double#toString} gives, then rounded), without making the string and the big number
 * for most values: every family's risk score is rounded at every computation.
 * <p>
 * Why the shortcut is exact for {@code 0 ≤ x ≤ 1}: the decimal d of {@code Double.toString(x)} rounds to x, so
 * {@code |d − x| ≤ ulp(x)/2 ≤ 2^-53}, and {@code s = x·10^4} as a double is within {@code 2^-40} of {@code x·10^4};
 * so {@code |s − d·10^4| < 10^-11}. Half-up of {@code d·10^4} is {@code floor(d·10^4 + 0.5)}, which changes only
 * where the fraction is .5: when the fraction of {@code s} is farther than {@code 10^-9} from .5, no such point lies
 * between s and {@code d·10^4}, and s rounds the same. Other values, and the ones near a tie, take the big way.
 */
final class FourDecimals {

    /** Far beyond the error bound above, and close enough to .5 that few values take the big way. */
    private static final double TIE_MARGIN = 1e-9;

    private FourDecimals() {
    }

    static BigDecimal halfUp(double x) {
        if (x >= 0 && x <= 1) {
            double scaled = x * 10_000;
            double floor = Math.floor(scaled);
            double fraction = scaled - floor; // exact: both below 2^14
            if (Math.abs(fraction - 0.5) > TIE_MARGIN) {
                return BigDecimal.valueOf((long) floor + (fraction > 0.5 ? 1 : 0), 4);
            }
        }
        return BigDecimal.valueOf(x).setScale(4, RoundingMode.HALF_UP);
    }
}
