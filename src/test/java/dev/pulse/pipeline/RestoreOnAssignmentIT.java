package dev.pulse.pipeline;

import static dev.pulse.support.EventBodies.login;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.config.KafkaProperties;
import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import dev.pulse.support.TestBroker;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * SPEC §4: after a partition is (re)assigned, the projections go on exactly as in a run that never stopped.
 * A quiet family (no event after the restart) must still see its event leave the 7-day range when other
 * families move stream time past that instant; that needs its state loaded at assignment, not with its next
 * event. The test re-assigns the partition the way a second instance would: by raising its owner epoch,
 * which fences this instance's next checkpoint and makes its consumer rejoin and claim the partition again.
 */
@ExtendWith(OutputCaptureExtension.class)
class RestoreOnAssignmentIT extends PulseIT {

    @Autowired
    EventPipeline pipeline;
    @Autowired
    KafkaProperties kafka;

    @Test
    void shouldExpireAQuietFamilysEventAfterThePartitionIsReassigned(CapturedOutput output) {
        String quiet = uniqueFamily("quiet");
        int partition = partitionOf(quiet);
        String mover = familyInPartition(partition);
        // The quiet family's login leaves its 7-day range a minute after the partition's current stream time,
        // so only stream time moved after the re-assignment can expire it.
        Instant streamTime = streamTime(partition);
        Instant loginAt = streamTime.minus(Duration.ofDays(7)).plusSeconds(60);
        post(login(uniqueId("quiet-login"), quiet, loginAt.toString()));
        Map<String, Object> before = Poll.until(Duration.ofSeconds(30), quiet + " counted", () -> familyOrNull(quiet));
        assertThat(before.get("events_last_7_days")).isEqualTo(1);
        assertThat(storedPartitionOf(quiet)).as("Kafka's partitioner, as computed here").isEqualTo(partition);

        long fencedBefore = pipeline.fencedCheckpoints();
        execute("update stream_checkpoints set owner_epoch = owner_epoch + 1, owner_instance = 'another-instance'"
                + " where consumer_group = '" + kafka.groupId() + "' and topic = '" + kafka.topic()
                + "' and kafka_partition = " + partition);
        Instant moverAt = loginAt.plus(Duration.ofDays(7)).plusSeconds(1);
        post(login(uniqueId("mover"), mover, moverAt.toString()));

        Map<String, Object> moved = Poll.until(Duration.ofSeconds(60), mover + " processed after the re-assignment",
                () -> familyOrNull(mover));
        assertThat(moved).isNotNull();
        assertThat(storedPartitionOf(mover)).as("the family that moves stream time shares the quiet family's partition")
                .isEqualTo(partition);
        assertThat(pipeline.fencedCheckpoints()).as("the partition was taken away and claimed back").isGreaterThan(fencedBefore);
        Map<String, Object> after = Poll.until(Duration.ofSeconds(30), quiet + " updated without an event of its own", () -> {
            Map<String, Object> row = familyOrNull(quiet);
            return row != null && Integer.valueOf(0).equals(row.get("events_last_7_days")) ? row : null;
        });
        assertThat(Instant.parse((String) after.get("as_of"))).isEqualTo(moverAt);
        assertThat(after.get("events_processed")).isEqualTo(1);
        assertThat(output.getOut()).containsPattern("partition " + partition + ": restored [1-9][0-9]* families");
    }

    /** Kafka's default partitioner on the family id, the record key. */
    private int partitionOf(String family) {
        return TestBroker.partitionOf(family, kafka.partitions());
    }

    private int storedPartitionOf(String family) {
        return db.sql("select kafka_partition from realtime_family_metrics where family_id = $1").bind(0, family)
                .map(r -> r.get(0, Integer.class)).one().block(Duration.ofSeconds(5));
    }

    private String familyInPartition(int partition) {
        while (true) {
            String candidate = uniqueFamily("mover");
            if (partitionOf(candidate) == partition) {
                return candidate;
            }
        }
    }

    private Instant streamTime(int partition) {
        // Optional: a mapping function must not answer null, and a partition without events yet has no stream time.
        OffsetDateTime stored = db.sql("select stream_time from stream_checkpoints where consumer_group = $1 and topic = $2"
                        + " and kafka_partition = $3")
                .bind(0, kafka.groupId()).bind(1, kafka.topic()).bind(2, partition)
                .map(row -> Optional.ofNullable(row.get(0, OffsetDateTime.class)))
                .one().block(Duration.ofSeconds(5))
                .orElse(null);
        return stored != null ? stored.toInstant() : Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    private void execute(String sql) {
        db.sql(sql).then().block(Duration.ofSeconds(10));
    }

    private void post(String body) {
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }
}
