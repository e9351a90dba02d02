package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlowCheckpointsTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    private final SlowCheckpoints slow = new SlowCheckpoints(Duration.ofSeconds(1), Duration.ofMinutes(1));

    @Test
    void aFastCheckpointIsNotLogged() {
        assertThat(slow.record(0, 100, 999 * MS, 0)).isEmpty();
    }

    @Test
    void theFirstSlowCheckpointIsLoggedAtOnceWithItsPartitionSizeAndDuration() {
        assertThat(slow.record(3, 2108, 1952 * MS, 0))
                .contains("partition 3: a checkpoint of 2108 events took 1952 ms (first statement to commit)");
    }

    @Test
    void slowCheckpointsWithinTheMinuteAreCountedAndTheSlowestNamedInTheNextLine() {
        slow.record(0, 10, 1_000 * MS, 0);
        assertThat(slow.record(1, 20, 1_500 * MS, 10 * S)).isEmpty();
        assertThat(slow.record(2, 30, 3_209 * MS, 20 * S)).isEmpty();
        assertThat(slow.record(4, 40, 1_100 * MS, 30 * S)).isEmpty();

        Optional<String> line = slow.record(5, 50, 1_200 * MS, 61 * S);

        assertThat(line).contains("3 more checkpoints took over 1000 ms in the last 61 s, the slowest partition 2: a checkpoint"
                + " of 30 events took 3209 ms (first statement to commit); then partition 5: a checkpoint of 50 events took"
                + " 1200 ms (first statement to commit)");
    }

    @Test
    void aFastCheckpointAfterTheMinuteReportsTheSlowOnesItHeldBack() {
        slow.record(0, 10, 1_000 * MS, 0);
        slow.record(1, 20, 2_000 * MS, 5 * S);
        assertThat(slow.record(1, 20, 10 * MS, 59 * S)).isEmpty();

        assertThat(slow.record(1, 20, 10 * MS, 60 * S)).contains("1 more checkpoints took over 1000 ms in the last 60 s,"
                + " the slowest partition 1: a checkpoint of 20 events took 2000 ms (first statement to commit)");
        assertThat(slow.record(1, 20, 10 * MS, 200 * S)).as("nothing held back any more").isEmpty();
    }

    @Test
    void anIdleChecksCheckpointIsNamedAsSuchNotAsOneOfZeroEvents() {
        assertThat(slow.record(1, 0, 1_300 * MS, 0)).contains("partition 1: an idle check's checkpoint (watermark only,"
                + " no new events) took 1300 ms (first statement to commit)");
    }

    @Test
    void aSlowCheckpointAfterAQuietMinuteIsLoggedAtOnceAgain() {
        slow.record(0, 10, 1_000 * MS, 0);

        assertThat(slow.record(2, 7, 4_000 * MS, 90 * S))
                .contains("partition 2: a checkpoint of 7 events took 4000 ms (first statement to commit)");
    }
}
