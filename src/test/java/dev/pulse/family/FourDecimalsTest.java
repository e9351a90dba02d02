package dev.pulse.family;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link FourDecimals}: by hand, and against the BigDecimal rounding it stands in for, over many doubles. */
class FourDecimalsTest {

    private static BigDecimal bigWay(double x) {
        return BigDecimal.valueOf(x).setScale(4, RoundingMode.HALF_UP);
    }

    private static void assertSameAsBigWay(double x) {
        BigDecimal fast = FourDecimals.halfUp(x);
        BigDecimal big = bigWay(x);
        // equals, not compareTo: the scale is part of what the row and the detection details print
        assertThat(fast).as("%s (%s)", x, Double.toHexString(x)).isEqualTo(big);
    }

    @Test
    void shouldRoundToFourDecimalsHalfUpAsWritten() {
        assertThat(FourDecimals.halfUp(0.900249)).isEqualTo(new BigDecimal("0.9002"));
        assertThat(FourDecimals.halfUp(0.083172)).isEqualTo(new BigDecimal("0.0832"));
        // ties as Double.toString writes them go up, though the double itself may lie just below the tie
        assertThat(FourDecimals.halfUp(0.12345)).isEqualTo(new BigDecimal("0.1235"));
        assertThat(FourDecimals.halfUp(0.00005)).isEqualTo(new BigDecimal("0.0001"));
        assertThat(FourDecimals.halfUp(0.99995)).isEqualTo(new BigDecimal("1.0000"));
        assertThat(FourDecimals.halfUp(0.5)).isEqualTo(new BigDecimal("0.5000"));
        assertThat(FourDecimals.halfUp(0.000049999)).isEqualTo(new BigDecimal("0.0000"));
        assertThat(FourDecimals.halfUp(1)).isEqualTo(new BigDecimal("1.0000"));
        assertThat(FourDecimals.halfUp(0)).isEqualTo(new BigDecimal("0.0000"));
        assertThat(FourDecimals.halfUp(-0.0)).isEqualTo(new BigDecimal("0.0000"));
    }

    @Test
    void shouldGiveWhatBigDecimalGivesAtTheEdges() {
        double[] edges = {0, -0.0, 1, Double.MIN_VALUE, Double.MIN_NORMAL, 1e-300, 1e-5, 5e-5, 4.9999999e-5,
                Math.nextDown(1.0), Math.nextUp(0.0), 0.5, Math.nextUp(0.5), Math.nextDown(0.5), 0.99995, 0.99994999,
                -1e-9, -0.00005, -0.5, 1.00005, 2.5, 12345.67895, 1e300, Double.MAX_VALUE, -Double.MAX_VALUE};
        for (double x : edges) {
            assertSameAsBigWay(x);
        }
    }

    @Test
    void shouldRefuseWhatBigDecimalRefuses() {
        for (double x : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> bigWay(x)).isInstanceOf(NumberFormatException.class);
            assertThatThrownBy(() -> FourDecimals.halfUp(x)).isInstanceOf(NumberFormatException.class);
        }
    }

    @Test
    void shouldGiveWhatBigDecimalGivesAroundEveryTie() {
        // every k/10^4 + 0.00005 (the ties) and k/10^4 (the steps), and the doubles a few ulps either side
        for (int k = 0; k <= 10_000; k++) {
            for (double centre : new double[] {(k + 0.5) / 10_000, k / 10_000.0, Double.parseDouble(k + "5e-5"),
                    Double.parseDouble("0." + String.format("%04d", Math.min(k, 9999)) + "5")}) {
                double x = centre;
                double y = centre;
                for (int step = 0; step < 8; step++) {
                    assertSameAsBigWay(x);
                    assertSameAsBigWay(y);
                    x = Math.nextUp(x);
                    y = Math.nextDown(y);
                }
            }
        }
    }

    @Test
    void shouldGiveWhatBigDecimalGivesForMillionsOfRandomDoubles() {
        SplittableRandom random = new SplittableRandom(20261127);
        for (int i = 0; i < 3_000_000; i++) {
            assertSameAsBigWay(random.nextDouble()); // uniform in [0, 1): the scores
        }
        for (int i = 0; i < 1_000_000; i++) {
            assertSameAsBigWay(1 / (1 + Math.exp(-random.nextDouble(-40, 40)))); // as the model makes them
        }
        for (int i = 0; i < 1_000_000; i++) {
            // a few decimal digits, as scores near a threshold often are, then a few ulps off
            double x = random.nextInt(1_000_001) / 1e6;
            for (int s = random.nextInt(-4, 5); s != 0; s -= Integer.signum(s)) {
                x = s > 0 ? Math.nextUp(x) : Math.nextDown(x);
            }
            assertSameAsBigWay(x);
        }
        for (int i = 0; i < 1_000_000; i++) {
            double x = Double.longBitsToDouble(random.nextLong()); // any double, most taking the big way
            if (Double.isFinite(x)) {
                assertSameAsBigWay(x);
            }
        }
    }
}
