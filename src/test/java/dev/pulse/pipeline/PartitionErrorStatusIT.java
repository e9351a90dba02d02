package dev.pulse.pipeline;

import static dev.pulse.support.RecentDay.at;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * SPEC §4: a failing batch never stops processing silently. The database refuses one family's metrics
 * row (a trigger) until the test lifts the refusal: meanwhile the partition shows {@code error} with the
 * reason and health is {@code DOWN}; afterwards the batch is replayed from the stored offset, the
 * partition is {@code running} again and health {@code UP}.
 */
class PartitionErrorStatusIT extends PulseIT {

    @Autowired
    EventPipeline pipeline;
    @Autowired
    KafkaProperties kafka;

    @Test
    void shouldShowThePartitionInErrorWithTheReasonAndHealthDownUntilTheBatchSucceeds() {
        String family = uniqueFamily("refused");
        String trigger = "refuse_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("create function " + trigger + "() returns trigger language plpgsql as $$ begin"
                + " if new.family_id = '" + family + "' then raise exception 'test refuses metrics of %', new.family_id; end if;"
                + " return new; end $$");
        execute("create trigger " + trigger + " before insert or update on realtime_family_metrics for each row execute function " + trigger + "()");
        boolean lifted = false;
        try {
            post(score(uniqueId("refused"), family, at("09:00:00"), 55));

            Map<String, Object> failed = Poll.until(Duration.ofSeconds(30), "a partition in error because of " + family,
                    () -> checkpointWithError(family));
            int partition = ((Number) failed.get("kafka_partition")).intValue();
            assertThat(failed).containsEntry("status", "error").containsEntry("owner_instance", pipeline.instanceId());
            assertThat((String) failed.get("last_error")).startsWith("batch failed: ").contains("test refuses metrics of " + family);

            Map<String, Object> down = health(HttpStatus.SERVICE_UNAVAILABLE);
            Map<String, Object> pipelineHealth = component(down, "pipeline");
            assertThat(pipelineHealth).containsEntry("status", "DOWN");
            Map<String, Object> inError = map(map(pipelineHealth.get("details")).get("partitions_in_error"));
            assertThat(map(inError.get(Integer.toString(partition))))
                    .containsEntry("status", "error")
                    .hasEntrySatisfying("last_error", e -> assertThat((String) e).contains("test refuses metrics of " + family));
            assertThat(statusOf(partition)).containsEntry("status", "error")
                    .hasEntrySatisfying("last_error", e -> assertThat((String) e).contains(family));
            assertThat(familyOrNull(family)).as("nothing of the failed batch is applied").isNull();

            execute("drop trigger " + trigger + " on realtime_family_metrics");
            lifted = true;

            Map<String, Object> row = Poll.until(Duration.ofSeconds(90), family + " processed after the refusal was lifted",
                    () -> familyOrNull(family));
            assertThat(row.get("events_processed")).isEqualTo(1);
            assertThat(row.get("current_engagement_score")).isEqualTo(55);
            Map<String, Object> recovered = checkpoint(partition);
            assertThat(recovered).containsEntry("status", "running");
            assertThat(recovered.get("last_error")).isNull();
            Map<String, Object> up = Poll.until(Duration.ofSeconds(30), "health UP again", () -> {
                Map<String, Object> h = health(null);
                return "UP".equals(h.get("status")) ? h : null;
            });
            assertThat(component(up, "pipeline")).containsEntry("status", "UP");
            assertThat(statusOf(partition)).containsEntry("status", "running").containsEntry("last_error", null);
        } finally {
            if (!lifted) {
                execute("drop trigger if exists " + trigger + " on realtime_family_metrics");
            }
            execute("drop function if exists " + trigger + "()");
        }
    }

    private Map<String, Object> checkpointWithError(String family) {
        List<Map<String, Object>> rows = db.sql("""
                        select kafka_partition, status, last_error, owner_instance from stream_checkpoints
                         where consumer_group = $1 and topic = $2 and status = 'error' and last_error like $3""")
                .bind(0, kafka.groupId()).bind(1, kafka.topic()).bind(2, "%" + family + "%")
                .fetch().all().collectList().block(Duration.ofSeconds(5));
        return rows.isEmpty() ? null : rows.get(0);
    }

    private Map<String, Object> checkpoint(int partition) {
        return db.sql("select status, last_error from stream_checkpoints where consumer_group = $1 and topic = $2 and kafka_partition = $3")
                .bind(0, kafka.groupId()).bind(1, kafka.topic()).bind(2, partition)
                .fetch().one().block(Duration.ofSeconds(5));
    }

    /** {@code /actuator/health}; with {@code expected} the answer must have that status. */
    private Map<String, Object> health(HttpStatus expected) {
        var spec = http.get().uri("/actuator/health").exchange();
        if (expected != null) {
            spec.expectStatus().isEqualTo(expected);
        }
        return spec.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
        }).returnResult().getResponseBody();
    }

    private Map<String, Object> statusOf(int partition) {
        Map<String, Object> status = http.get().uri("/api/stream/status").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                }).returnResult().getResponseBody();
        return ((List<?>) status.get("partitions")).stream().map(PartitionErrorStatusIT::map)
                .filter(p -> ((Number) p.get("partition")).intValue() == partition)
                .findFirst().orElseThrow();
    }

    private static Map<String, Object> component(Map<String, Object> health, String name) {
        return map(map(health.get("components")).get(name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private void execute(String sql) {
        db.sql(sql).then().block(Duration.ofSeconds(10));
    }

    private void post(String body) {
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }
}
