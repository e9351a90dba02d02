package dev.pulse.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.ingest.kafka.LogEndOffsets.LogRange;
import dev.pulse.projection.CheckpointStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamStatusTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void shouldComputeLagFromTheBrokersEndOffsetAndTheLastCommittedOffset() {
        StreamStatus status = StreamStatus.of(List.of(row(0, 41L, 12.5, NOW.minusSeconds(2), "running", null)),
                Map.of(0, new LogRange(0, 0, 50)), NOW);

        StreamStatus.PartitionStatus p = status.partitions().get(0);
        assertThat(p.offset()).isEqualTo(41);
        assertThat(p.endOffset()).isEqualTo(50);
        assertThat(p.lag()).as("offsets 42..49 are not committed").isEqualTo(8);
        assertThat(p.eventsPerSecond()).isEqualTo(12.5);
        assertThat(p.owner()).isEqualTo("instance-a");
        assertThat(p.ownerEpoch()).isEqualTo(3);
    }

    @Test
    void shouldCountLagFromTheLogStartForAPartitionClaimedButNeverCheckpointed() {
        StreamStatus status = StreamStatus.of(List.of(row(1, null, null, NOW, "running", null)),
                Map.of(1, new LogRange(1, 100, 130)), NOW);

        assertThat(status.partitions().get(0).lag()).isEqualTo(30);
        assertThat(status.partitions().get(0).eventsPerSecond()).isZero();
    }

    @Test
    void shouldNotCountRecordsDeletedFromTheLogAsLag() {
        // retention removed everything before 500; the partition resumes there, not at 11
        StreamStatus status = StreamStatus.of(List.of(row(0, 10L, 1.0, NOW, "running", null)),
                Map.of(0, new LogRange(0, 500, 520)), NOW);

        assertThat(status.partitions().get(0).lag()).isEqualTo(20);
    }

    @Test
    void shouldReportZeroThroughputWhenThePartitionHadNoCheckpointInTheRateWindow() {
        StreamStatus status = StreamStatus.of(List.of(row(0, 5L, 300.0,
                NOW.minus(CheckpointStatus.RATE_WINDOW).minusMillis(1), "running", null)), Map.of(), NOW);

        assertThat(status.partitions().get(0).eventsPerSecond()).isZero();
    }

    @Test
    void shouldLeaveEndOffsetAndLagNullWhenTheBrokerDidNotAnswer() {
        StreamStatus status = StreamStatus.of(List.of(row(0, 5L, 1.0, NOW, "error", "batch failed: boom")), null, NOW);

        StreamStatus.PartitionStatus p = status.partitions().get(0);
        assertThat(p.endOffset()).isNull();
        assertThat(p.lag()).isNull();
        assertThat(p.status()).isEqualTo("error");
        assertThat(p.lastError()).isEqualTo("batch failed: boom");
    }

    @Test
    void shouldListPartitionsThatHaveNoCheckpointRowYetInPartitionOrder() {
        StreamStatus status = StreamStatus.of(List.of(row(2, 7L, 1.0, NOW, "running", null)),
                Map.of(0, new LogRange(0, 0, 3), 2, new LogRange(2, 0, 8)), NOW);

        assertThat(status.partitions()).extracting(StreamStatus.PartitionStatus::partition).containsExactly(0, 2);
        StreamStatus.PartitionStatus unclaimed = status.partitions().get(0);
        assertThat(unclaimed.owner()).isNull();
        assertThat(unclaimed.offset()).isNull();
        assertThat(unclaimed.lag()).isEqualTo(3);
    }

    @Test
    void shouldSumTotalsOverPartitionsWithReceivedAsEveryRecordConsumed() {
        StreamStatus status = StreamStatus.of(List.of(
                new CheckpointStatus(0, 9L, null, null, null, null, null, 10, 2, 1, 3, "running", null, "a", 1, NOW),
                new CheckpointStatus(1, 4L, null, null, null, null, null, 5, 0, 4, 0, "running", null, "b", 2, NOW)),
                Map.of(), NOW);

        assertThat(status.totals()).isEqualTo(new StreamStatus.Totals(20, 15, 2, 5, 3));
    }

    private static CheckpointStatus row(int partition, Long lastOffset, Double rate, Instant updated, String status, String error) {
        return new CheckpointStatus(partition, lastOffset, NOW.minusSeconds(60), NOW.minusSeconds(30), NOW.minusSeconds(35),
                60.0, rate, 0, 0, 0, 0, status, error, "instance-a", 3, updated);
    }
}
