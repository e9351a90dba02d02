package dev.pulse.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class DecimalsTest {

    @Test
    void wholeNumbersEqualValueOfWithTheSameScaleAndAreSharedUpTo127() {
        for (long v : new long[] {-129, -1, 0, 1, 10, 11, 100, 127, 128, Long.MAX_VALUE, Long.MIN_VALUE}) {
            BigDecimal d = Decimals.whole(v);
            assertThat(d).isEqualTo(BigDecimal.valueOf(v)); // equals compares the scale too
            assertThat(d.scale()).isZero();
        }
        assertThat(Decimals.whole(100)).isSameAs(Decimals.whole(100));
        assertThat(Decimals.whole(127)).isSameAs(Decimals.whole(127));
        assertThat(Decimals.whole(128)).isNotSameAs(Decimals.whole(128));
    }

    @Test
    void hundredthsEqualValueOfWithScaleTwoAndAreSharedFrom0To100() {
        for (long h : new long[] {-1, 0, 1, 5, 4_999, 5_000, 10_000, 10_001, Long.MAX_VALUE}) {
            BigDecimal d = Decimals.hundredths(h);
            assertThat(d).isEqualTo(BigDecimal.valueOf(h, 2));
            assertThat(d.scale()).isEqualTo(2);
        }
        assertThat(Decimals.hundredths(4_250)).isSameAs(Decimals.hundredths(4_250)).hasToString("42.50");
        assertThat(Decimals.hundredths(0)).hasToString("0.00");
        assertThat(Decimals.hundredths(10_000)).isSameAs(Decimals.hundredths(10_000)).hasToString("100.00");
        assertThat(Decimals.hundredths(10_001)).isNotSameAs(Decimals.hundredths(10_001));
    }
}
