package dev.pulse.stream.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.event.Events;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** SPEC §3.2 aggregates: exact sums, min, max, avg = sum / count (4 places, half-even), null without values. */
class AggregateTest {

    @Test
    void shouldSumExactlyAndTrackMinMaxWhenValuesAreAdded() {
        Aggregate aggregate = Aggregate.of(new BigDecimal("450.10")).plus(new BigDecimal("100.00")).plus(new BigDecimal("49.90"));

        assertThat(aggregate.eventCount()).isEqualTo(3);
        assertThat(aggregate.sum()).isEqualTo(new BigDecimal("600.00"));
        assertThat(aggregate.min()).isEqualTo(new BigDecimal("49.90"));
        assertThat(aggregate.max()).isEqualTo(new BigDecimal("450.10"));
        assertThat(aggregate.avg()).isEqualTo(new BigDecimal("200.0000"));
    }

    @Test
    void shouldRoundAverageHalfEvenToFourPlacesWhenDivisionIsInexact() {
        assertThat(Aggregate.of(new BigDecimal("1")).plus(new BigDecimal("1")).plus(new BigDecimal("0")).avg())
                .isEqualTo(new BigDecimal("0.6667"));
        // 1.0001 / 2 = 0.50005: half-even keeps the even 0.5000 where half-up would give 0.5001
        assertThat(Aggregate.of(new BigDecimal("1.0001")).plus(new BigDecimal("0")).avg())
                .isEqualTo(new BigDecimal("0.5000"));
    }

    @Test
    void shouldHaveNullValueAggregatesWhenEventsHaveNoValue() {
        Aggregate aggregate = Aggregate.of(null).plus((BigDecimal) null);

        assertThat(aggregate).isEqualTo(Aggregate.countOnly(2));
        assertThat(aggregate.hasValues()).isFalse();
        assertThat(aggregate.avg()).isNull();
    }

    @Test
    void shouldTakeAmountOrNewScoreAsValueWhenEventTypeHasOne() {
        assertThat(Aggregate.valueOf(Events.payment("family-1").amount("450.10").build())).isEqualTo(new BigDecimal("450.10"));
        assertThat(Aggregate.valueOf(Events.score("family-1").score(42).build())).isEqualTo(BigDecimal.valueOf(42));
        assertThat(Aggregate.valueOf(Events.login("family-1").build())).isNull();
    }

    @Test
    void shouldKeepLargerScaleOfEqualValuesWhateverTheOrder() {
        BigDecimal oneScale = new BigDecimal("450.0");
        BigDecimal twoScales = new BigDecimal("450.00");

        assertThat(Aggregate.of(oneScale).plus(twoScales)).isEqualTo(Aggregate.of(twoScales).plus(oneScale));
        assertThat(Aggregate.of(oneScale).plus(twoScales).min()).isEqualTo(twoScales);
        assertThat(Aggregate.of(oneScale).plus(twoScales).max()).isEqualTo(twoScales);
    }

    @Test
    void shouldRejectCombinationWhenOneSideHasValuesAndTheOtherNot() {
        assertThatThrownBy(() -> Aggregate.of(BigDecimal.ONE).plus((BigDecimal) null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot combine aggregates with and without values");
    }

    @Test
    void shouldRejectAggregateWhenCountIsZero() {
        assertThatThrownBy(() -> Aggregate.countOnly(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventCount must be >= 1");
    }
}
