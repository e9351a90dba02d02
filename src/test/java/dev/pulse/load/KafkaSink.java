package dev.pulse.load;

import dev.pulse.ingest.EventJson;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Records keyed by family id, as every producer of the log writes them (SPEC §1.3); idempotent, acks=all. */
final class KafkaSink implements Sink {

    private final EventJson json = new EventJson();
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final String bootstrap;
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    KafkaSink(String bootstrap, String topic) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void send(List<Map<String, Object>> events) {
        for (Map<String, Object> event : events) {
            producer.send(new ProducerRecord<>(topic, (String) event.get("aggregate_id"), json.write(event)), (metadata, error) -> {
                if (error != null) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, error);
                }
            });
        }
    }

    @Override
    public void close() {
        producer.flush();
        producer.close();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records were not acknowledged by the broker", firstFailure.get());
        }
    }

    @Override
    public String describe() {
        return "kafka " + bootstrap + " topic " + topic;
    }
}
