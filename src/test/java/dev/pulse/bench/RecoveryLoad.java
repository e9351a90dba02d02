package dev.pulse.bench;

import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The load of scripts/bench-recovery: appends {@code count} distinct events (event ids from {@code first} on)
 * over {@code families} families to a topic, the mix and timing of {@link BenchEvents} (one every 60 ms of
 * event time, out of order within 4 s, so none is late): scores, payments, logins, e-mails. Streams them
 * without holding them in memory; keyed by family, as Pulse's own ingestion does.
 * <p>
 * {@code java dev.pulse.bench.RecoveryLoad <bootstrap> <topic> <first> <count> <families>}
 */
public final class RecoveryLoad {

    private RecoveryLoad() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        long first = Long.parseLong(args[2]);
        long count = Long.parseLong(args[3]);
        int families = Integer.parseInt(args[4]);
        Random random = new Random(42 + first);
        Instant start = Instant.parse("2026-10-01T00:00:00Z");
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        long began = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (long i = first; i < first + count; i++) {
                String family = "family-" + random.nextInt(families);
                Instant t = start.plusMillis(60 * i - random.nextInt(4000));
                int roll = random.nextInt(10);
                String type;
                String data;
                if (roll < 3) {
                    type = "EngagementScoreUpdated";
                    data = "{\"new_score\": " + (20 + random.nextInt(80)) + "}";
                } else if (roll < 5) {
                    type = "PaymentReceived";
                    data = "{\"amount\": " + (10 + random.nextInt(500)) + "." + (10 + random.nextInt(90)) + ", \"currency\": \"EUR\"}";
                } else if (roll < 8) {
                    type = "UserLogin";
                    data = "{}";
                } else {
                    type = random.nextBoolean() ? "EmailOpened" : "EmailBounced";
                    data = "{\"email\": \"" + family + "@example.org\"}";
                }
                String body = "{\"event_id\": \"e-" + i + "\", \"event_type\": \"" + type + "\", \"aggregate_id\": \"" + family
                        + "\", \"event_timestamp\": \"" + t + "\", \"schema_version\": 1, \"event_data\": " + data + "}";
                producer.send(new ProducerRecord<>(topic, family, body), (metadata, e) -> {
                    if (e != null) {
                        System.err.println("send failed: " + e);
                        System.exit(1);
                    }
                });
            }
            producer.flush();
        }
        System.out.printf("produced %d events over %d families to %s in %.1f s%n", count, families, topic,
                (System.nanoTime() - began) / 1e9);
    }
}
