package dev.pulse.ingest.kafka;

import dev.pulse.config.KafkaProperties;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderOptions;
import reactor.kafka.sender.SenderRecord;

/**
 * Appends records to the event log and to the dead-letter topic. The only Reactor Kafka producer in
 * Pulse. Idempotent producer with {@code acks=all}: a {@code Mono} completing means the broker has
 * every record, in the order given (SPEC §7: a request's events are appended in request order).
 */
public final class EventLogSender implements AutoCloseable {

    private final KafkaSender<String, byte[]> sender;
    private final KafkaProperties properties;

    public EventLogSender(KafkaProperties properties) {
        this.properties = properties;
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.CLIENT_ID_CONFIG, "pulse-sender",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.sender = KafkaSender.create(SenderOptions.<String, byte[]>create(config).stopOnError(true));
    }

    /** Cold; completes when the broker acknowledged every record; errors on the first failure. */
    public Mono<Void> appendEvents(List<OutgoingRecord> records) {
        return send(properties.topic(), records);
    }

    /** Cold; completes when the broker acknowledged every dead letter. */
    public Mono<Void> appendDeadLetters(List<OutgoingRecord> records) {
        return send(properties.dlqTopic(), records);
    }

    private Mono<Void> send(String topic, List<OutgoingRecord> records) {
        if (records.isEmpty()) {
            return Mono.empty();
        }
        return sender.send(Flux.fromIterable(records).map(r -> SenderRecord.create(toProducerRecord(topic, r), null)))
                .then();
    }

    private static ProducerRecord<String, byte[]> toProducerRecord(String topic, OutgoingRecord r) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, r.key(), r.value());
        r.headers().forEach((k, v) -> record.headers().add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
        return record;
    }

    @Override
    public void close() {
        sender.close();
    }
}
