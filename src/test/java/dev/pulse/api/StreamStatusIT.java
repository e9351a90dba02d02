package dev.pulse.api;

import static dev.pulse.support.EventBodies.login;
import static dev.pulse.support.EventBodies.score;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pulse.pipeline.EventPipeline;
import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import dev.pulse.support.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** {@code GET /api/stream/status} (SPEC §5.1, §7) against events whose fate is known: processed, duplicate, late, dead letter. */
class StreamStatusIT extends PulseIT {

    @Autowired
    EventPipeline pipeline;

    @Test
    void shouldAnswerEachPartitionsOffsetsLagTimesAndOwnerAndTheTotals() throws Exception {
        String family = uniqueFamily("status");
        // Sets a watermark on the family's partition if it had none, so every event below, dated 2000, is late
        // for its windows; a date in the past moves no other test's watermark.
        post(login(uniqueId("anchor"), family, "2020-01-01T00:00:00Z"));
        Poll.until(Duration.ofSeconds(30), "the anchor of " + family, () -> familyOrNull(family));
        Map<String, Object> before = quiet();
        int partition = partitionOf(family);
        Map<String, Object> partitionBefore = partition(before, partition);

        String first = score(uniqueId("first"), family, "2000-01-01T00:00:00Z", 70);
        post(first);
        post(login(uniqueId("second"), family, "2000-01-01T00:01:00Z"));
        post(first);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(TOPIC, family, "{not json".getBytes(StandardCharsets.UTF_8))).get();
        }
        post(login(uniqueId("marker"), family, "2000-01-01T00:02:00Z"));
        Poll.until(Duration.ofSeconds(30), "the marker of " + family, () -> {
            Map<String, Object> row = familyOrNull(family);
            return row != null && ((Number) row.get("events_processed")).intValue() == 4 ? row : null;
        });
        Map<String, Object> after = quiet();
        Instant answeredAt = Instant.now();

        List<?> partitions = (List<?>) after.get("partitions");
        assertThat(partitions).hasSize(TestBroker.PARTITIONS);
        Map<String, Object> p = partition(after, partition);
        long offset = number(p, "offset");
        assertThat(offset).as("five records since: three events, a duplicate and a dead letter")
                .isEqualTo(number(partitionBefore, "offset") + 5);
        assertThat(number(p, "end_offset")).isEqualTo(offset + 1);
        assertThat(number(p, "lag")).isZero();
        assertThat(((Number) p.get("lag_seconds")).doubleValue()).as("wall clock − time of the last event processed (the marker)")
                .isCloseTo(Duration.between(Instant.parse("2000-01-01T00:02:00Z"), answeredAt).toSeconds(), within(120.0));
        Instant streamTime = Instant.parse((String) p.get("stream_time"));
        assertThat(Instant.parse((String) p.get("watermark"))).isEqualTo(streamTime.minusSeconds(5));
        assertThat(((Number) p.get("events_per_second")).doubleValue()).as("records of the last checkpoints, within 10 s").isPositive();
        assertThat(p).containsEntry("owner", pipeline.instanceId()).containsEntry("status", "running").containsEntry("last_error", null);
        assertThat(number(p, "owner_epoch")).isPositive();

        Map<String, Object> totalsBefore = map(before.get("totals"));
        Map<String, Object> totals = map(after.get("totals"));
        assertThat(number(totals, "received") - number(totalsBefore, "received")).isEqualTo(5);
        assertThat(number(totals, "processed") - number(totalsBefore, "processed")).isEqualTo(3);
        assertThat(number(totals, "duplicates_dropped") - number(totalsBefore, "duplicates_dropped")).isEqualTo(1);
        assertThat(number(totals, "late_events") - number(totalsBefore, "late_events")).isEqualTo(3);
        assertThat(number(totals, "dead_lettered") - number(totalsBefore, "dead_lettered")).isEqualTo(1);
    }

    /** The status once every partition has caught up with the log: nothing in flight from this or earlier tests. */
    private Map<String, Object> quiet() {
        return Poll.until(Duration.ofSeconds(30), "every partition caught up", () -> {
            Map<String, Object> status = status();
            boolean caughtUp = ((List<?>) status.get("partitions")).stream().map(StreamStatusIT::map)
                    .allMatch(p -> p.get("lag") != null && number(p, "lag") == 0);
            return caughtUp ? status : null;
        });
    }

    private Map<String, Object> status() {
        return http.get().uri("/api/stream/status").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                }).returnResult().getResponseBody();
    }

    private static Map<String, Object> partition(Map<String, Object> status, int partition) {
        return ((List<?>) status.get("partitions")).stream().map(StreamStatusIT::map)
                .filter(p -> number(p, "partition") == partition).findFirst().orElseThrow();
    }

    private int partitionOf(String family) {
        return db.sql("select kafka_partition from realtime_family_metrics where family_id = $1").bind(0, family)
                .map(r -> r.get(0, Integer.class)).one().block(Duration.ofSeconds(5));
    }

    private static long number(Map<String, Object> map, String key) {
        assertThat(map.get(key)).as(key).isInstanceOf(Number.class);
        return ((Number) map.get(key)).longValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private void post(String body) {
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }
}
