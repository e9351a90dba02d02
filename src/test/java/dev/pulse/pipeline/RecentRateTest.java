package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentRateTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void shouldAnswerZeroBeforeAnyRecord() {
        assertThat(new RecentRate(Duration.ofSeconds(10)).perSecond(T0)).isZero();
    }

    @Test
    void shouldAverageOverTheSecondsSeenSoFarUntilAWholeWindowPassed() {
        RecentRate rate = new RecentRate(Duration.ofSeconds(10));
        rate.record(T0, 100);
        rate.record(T0.plusMillis(1500), 50);

        // two seconds seen (T0 and T0+1s): 150 records over 2 s, not over the 10 s window
        assertThat(rate.perSecond(T0.plusMillis(1900))).isEqualTo(75.0);
    }

    @Test
    void shouldAverageOverTheWholeWindowOnceItPassed() {
        RecentRate rate = new RecentRate(Duration.ofSeconds(10));
        for (int s = 0; s < 20; s++) {
            rate.record(T0.plusSeconds(s), s < 10 ? 1000 : 10);
        }

        // seconds 10..19 are in (now − 10 s, now]; the busy first ten have left the window
        assertThat(rate.perSecond(T0.plusSeconds(19))).isEqualTo(10.0);
    }

    @Test
    void shouldFallToZeroWhenNothingArrivedForAWindow() {
        RecentRate rate = new RecentRate(Duration.ofSeconds(10));
        rate.record(T0, 500);

        assertThat(rate.perSecond(T0.plusSeconds(9))).isEqualTo(50.0);
        assertThat(rate.perSecond(T0.plusSeconds(10))).isZero();
    }

    @Test
    void shouldNotCountABucketReusedByALaterSecondTwice() {
        RecentRate rate = new RecentRate(Duration.ofSeconds(10));
        rate.record(T0, 7);
        rate.record(T0.plusSeconds(10), 3);   // same bucket as T0, one window later

        assertThat(rate.perSecond(T0.plusSeconds(10))).isEqualTo(0.3);
    }

    @Test
    void shouldRefuseAWindowShorterThanOneSecond() {
        assertThatThrownBy(() -> new RecentRate(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1s");
    }
}
