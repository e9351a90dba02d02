package dev.pulse.stream.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** SPEC §7: a window [s, e) is final when W ≥ e; an inclusive deadline D fires when W &gt; D. */
class WatermarkTest {

    private static final Instant END = Instant.parse("2026-11-23T09:11:00Z");

    @Test
    void shouldReachWindowEndWhenWatermarkIsExactlyAtIt() {
        assertThat(new Watermark(END).hasReached(END)).isTrue();
    }

    @Test
    void shouldNotReachWindowEndWhenWatermarkIsOneMillisecondBefore() {
        assertThat(new Watermark(END.minusMillis(1)).hasReached(END)).isFalse();
    }

    @Test
    void shouldPassDeadlineOnlyWhenWatermarkIsStrictlyAfterIt() {
        assertThat(new Watermark(END).hasPassed(END)).isFalse();
        assertThat(new Watermark(END.plusMillis(1)).hasPassed(END)).isTrue();
    }

    @Test
    void shouldReachNothingWhenWatermarkIsNone() {
        assertThat(Watermark.NONE.hasReached(Instant.parse("0001-01-01T00:00:00Z"))).isFalse();
        assertThat(Watermark.NONE.isNone()).isTrue();
    }

    @Test
    void shouldBeNoneWhenStreamTimeIsNone() {
        assertThat(Watermark.of(StreamTime.NONE, Duration.ofSeconds(5))).isEqualTo(Watermark.NONE);
    }

    @Test
    void shouldBeStreamTimeMinusBoundWhenStreamTimeIsKnown() {
        assertThat(Watermark.of(new StreamTime(END), Duration.ofSeconds(5)))
                .isEqualTo(new Watermark(Instant.parse("2026-11-23T09:10:55Z")));
    }

    @Test
    void shouldKeepLaterWatermarkWhenMaxIsGivenAnEarlierOne() {
        Watermark later = new Watermark(END);
        Watermark earlier = new Watermark(END.minusMillis(1));

        assertThat(later.max(earlier)).isSameAs(later);
        assertThat(earlier.max(later)).isSameAs(later);
        assertThat(Watermark.NONE.compareTo(earlier)).isNegative();
    }
}
