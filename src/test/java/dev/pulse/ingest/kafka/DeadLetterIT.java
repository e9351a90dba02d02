package dev.pulse.ingest.kafka;

import static dev.pulse.support.RecentDay.at;
import static dev.pulse.support.EventBodies.score;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import dev.pulse.support.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Records that are not valid events, written straight to the topic: to the DLQ with reasons, and the stream goes on (SPEC §1.3). */
class DeadLetterIT extends PulseIT {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON            | {\"event_id\": \"oops\"              | record: not valid JSON",
            "missing event_id    | {\"event_type\": \"UserLogin\"}       | event_id: is required",
            "score out of range  | SCORE_101                             | event_data.new_score: must be an integer 0..100, was 101"})
    void shouldDeadLetterPoisonRecordWithHeadersAndProcessTheEventsAfterIt(String name, String poison, String error) throws Exception {
        String family = uniqueFamily("dlq");
        String poisonValue = poison.equals("SCORE_101") ? score(uniqueId("p"), family, at("09:00:00"), 101) : poison;
        RecordMetadata poisoned;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            poisoned = producer.send(new ProducerRecord<>(TOPIC, family, poisonValue.getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(TOPIC, family,
                    score(uniqueId("ok"), family, at("09:01:00"), 77).getBytes(StandardCharsets.UTF_8))).get();
        }

        ConsumerRecord<String, byte[]> letter = Poll.until(Duration.ofSeconds(30), "a dead letter for " + family,
                () -> deadLetters().stream().filter(r -> family.equals(r.key())).findFirst().orElse(null));
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo(poisonValue);
        assertThat(header(letter, DeadLetterHeaders.ERROR)).startsWith(error);
        assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(TOPIC);
        assertThat(header(letter, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo(Integer.toString(poisoned.partition()));
        assertThat(header(letter, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo(Long.toString(poisoned.offset()));

        Map<?, ?> row = Poll.until(Duration.ofSeconds(30), family + " processed after the poison record", () -> familyOrNull(family));
        assertThat(row.get("current_engagement_score")).isEqualTo(77);
        assertThat(row.get("events_processed")).isEqualTo(1);
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    /** Everything in the DLQ so far, read from the beginning by a throwaway consumer. */
    private static List<ConsumerRecord<String, byte[]>> deadLetters() {
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(DLQ).stream()
                    .map(p -> new TopicPartition(DLQ, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> all = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
            return all;
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
