package dev.pulse.pipeline;

import static dev.pulse.support.RecentDay.at;
import static dev.pulse.support.EventBodies.login;
import static dev.pulse.support.EventBodies.score;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.config.KafkaProperties;
import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * SPEC §4 fencing: a checkpoint whose owner epoch is no longer current rolls back. The test plays the
 * second owner by raising the partition's epoch itself, as another instance's claim would.
 */
@ExtendWith(OutputCaptureExtension.class)
class FencingIT extends PulseIT {

    private static final String INTRUDER = "intruder-instance";

    @Autowired
    EventPipeline pipeline;
    @Autowired
    KafkaProperties kafka;

    @Test
    void shouldRollBackTheCheckpointOfAFencedOwnerThenResumeFromTheStoredOffsetOnceClaimedBack(CapturedOutput output) {
        String family = uniqueFamily("fenced");
        post(score(uniqueId("first"), family, at("09:00:00"), 80));
        Poll.until(Duration.ofSeconds(30), "first event of " + family, () -> familyOrNull(family));
        int partition = partitionOf(family);
        Map<String, Object> before = checkpoint(partition);
        assertThat(before).containsEntry("owner_instance", pipeline.instanceId());
        long epoch = ((Number) before.get("owner_epoch")).longValue();
        long offset = ((Number) before.get("last_offset")).longValue();

        // Every committed change of the row from here on, in commit order; a rolled-back one leaves no trace.
        String audit = "fence_audit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        install(audit, partition);
        try {
            long fencedBefore = pipeline.fencedCheckpoints();
            execute("update stream_checkpoints set owner_epoch = owner_epoch + 1, owner_instance = '" + INTRUDER + "'"
                    + " where consumer_group = '" + kafka.groupId() + "' and topic = '" + kafka.topic()
                    + "' and kafka_partition = " + partition);

            String secondId = uniqueId("second");
            post(login(secondId, family, at("09:05:00")));

            Poll.until(Duration.ofSeconds(30), "the first owner's checkpoint to be refused",
                    () -> pipeline.fencedCheckpoints() > fencedBefore ? true : null);
            Map<String, Object> row = Poll.until(Duration.ofSeconds(60), family + " processed after the claim back", () -> {
                Map<String, Object> r = familyOrNull(family);
                return r != null && at("09:05:00").equals(r.get("last_event_timestamp")) ? r : null;
            });

            assertThat(output.getOut()).contains("partition " + partition + ": checkpoint refused and rolled back, owner epoch expected "
                    + epoch + " but found " + (epoch + 1) + " (owner " + INTRUDER + ")");
            List<Map<String, Object>> changes = changes(audit);
            assertThat(changes.get(0)).as("the intruder's claim")
                    .containsEntry("owner_instance", INTRUDER).containsEntry("owner_epoch", epoch + 1).containsEntry("last_offset", offset);
            assertThat(changes).as("no checkpoint was committed under the intruder's ownership")
                    .filteredOn(c -> INTRUDER.equals(c.get("owner_instance")))
                    .allSatisfy(c -> assertThat(c).containsEntry("last_offset", offset));
            assertThat(changes.get(1)).as("the claim back, before any checkpoint")
                    .containsEntry("owner_instance", pipeline.instanceId()).containsEntry("last_offset", offset);
            assertThat((Long) changes.get(1).get("owner_epoch")).isGreaterThan(epoch + 1);

            // Nothing lost, nothing doubled: the refused batch's event id was rolled back with it, so the
            // replay after the claim back applied it once and dropped nothing as a duplicate.
            assertThat(row.get("events_processed")).isEqualTo(2);
            Map<String, Object> after = checkpoint(partition);
            assertThat(after).containsEntry("owner_instance", pipeline.instanceId())
                    .containsEntry("duplicates_dropped", before.get("duplicates_dropped"))
                    .containsEntry("events_processed_total", (Long) before.get("events_processed_total") + 1)
                    .containsEntry("last_offset", offset + 1)
                    .containsEntry("status", "running");
            assertThat(count("select count(*) from processed_events where event_id = '" + secondId + "'")).isEqualTo(1);
        } finally {
            execute("drop trigger if exists " + audit + " on stream_checkpoints");
            execute("drop function if exists " + audit + "_log()");
            execute("drop table if exists " + audit);
        }
    }

    private void install(String audit, int partition) {
        execute("create table " + audit + " (seq bigint generated always as identity primary key, owner_instance text,"
                + " owner_epoch bigint, last_offset bigint)");
        execute("create function " + audit + "_log() returns trigger language plpgsql as $$ begin"
                + " insert into " + audit + " (owner_instance, owner_epoch, last_offset) values (new.owner_instance, new.owner_epoch, new.last_offset);"
                + " return new; end $$");
        execute("create trigger " + audit + " after update on stream_checkpoints for each row"
                + " when (new.consumer_group = '" + kafka.groupId() + "' and new.kafka_partition = " + partition + ")"
                + " execute function " + audit + "_log()");
    }

    private List<Map<String, Object>> changes(String audit) {
        return db.sql("select owner_instance, owner_epoch, last_offset from " + audit + " order by seq")
                .fetch().all().collectList().block(Duration.ofSeconds(5));
    }

    private int partitionOf(String family) {
        return db.sql("select kafka_partition from realtime_family_metrics where family_id = $1").bind(0, family)
                .map(r -> r.get(0, Integer.class)).one().block(Duration.ofSeconds(5));
    }

    private Map<String, Object> checkpoint(int partition) {
        return db.sql("""
                        select owner_instance, owner_epoch, last_offset, events_processed_total, duplicates_dropped, status
                          from stream_checkpoints where consumer_group = $1 and topic = $2 and kafka_partition = $3""")
                .bind(0, kafka.groupId()).bind(1, kafka.topic()).bind(2, partition)
                .fetch().one().block(Duration.ofSeconds(5));
    }

    private long count(String sql) {
        return db.sql(sql).map(r -> ((Number) r.get(0)).longValue()).one().block(Duration.ofSeconds(5));
    }

    private void execute(String sql) {
        db.sql(sql).then().block(Duration.ofSeconds(10));
    }

    private void post(String body) {
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }
}
