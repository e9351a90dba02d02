package dev.pulse.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StallWatchTest {

    private static final long S = 1_000_000_000L;

    @Test
    void shouldReportPartitionWhenOffsetStandsStillWithRecordsWaitingForTheWholePeriod() {
        StallWatch watch = new StallWatch(Duration.ofSeconds(30));

        assertThat(watch.observe(0, 100L, 500, 1 * S)).isEqualTo(-1);
        assertThat(watch.observe(0, 100L, 700, 30 * S)).as("29 s: not yet").isEqualTo(-1);
        assertThat(watch.observe(0, 100L, 900, 31 * S)).isEqualTo(30 * S);
        assertThat(watch.observe(0, 100L, 900, 36 * S)).as("reported once per period").isEqualTo(-1);
        assertThat(watch.observe(0, 100L, 900, 61 * S)).as("still stalled a period later").isEqualTo(60 * S);
    }

    @Test
    void shouldNotReportPartitionWhenItMovesOrHasNothingToRead() {
        StallWatch watch = new StallWatch(Duration.ofSeconds(30));

        watch.observe(0, 100L, 500, 1 * S);
        assertThat(watch.observe(0, 200L, 400, 40 * S)).as("moved").isEqualTo(-1);
        assertThat(watch.observe(0, 200L, 0, 80 * S)).as("caught up: idle, not stalled").isEqualTo(-1);
        assertThat(watch.observe(0, 200L, 10, 100 * S)).as("records again: the clock starts now").isEqualTo(-1);
        assertThat(watch.observe(0, 200L, 10, 130 * S)).isEqualTo(30 * S);
    }

    @Test
    void shouldWatchEachPartitionOnItsOwnAndForgetOnesNoLongerOwned() {
        StallWatch watch = new StallWatch(Duration.ofSeconds(30));
        watch.observe(0, null, 50, 1 * S);
        watch.observe(1, 7L, 50, 1 * S);

        assertThat(watch.observe(0, null, 50, 31 * S)).as("no checkpoint yet counts as standing still").isEqualTo(30 * S);
        assertThat(watch.observe(1, 8L, 50, 31 * S)).isEqualTo(-1);

        watch.retain(Set.of(1));
        assertThat(watch.observe(0, null, 50, 40 * S)).as("taken back: starts afresh").isEqualTo(-1);
    }

    @Test
    void shouldRefusePeriodThatIsNotPositive() {
        assertThatThrownBy(() -> new StallWatch(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
