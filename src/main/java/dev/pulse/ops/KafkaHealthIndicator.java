package dev.pulse.ops;

import dev.pulse.ingest.kafka.LogEndOffsets;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * {@code kafka} in {@code /actuator/health} (SPEC §5.6): {@code UP} when the broker answers, within its timeout,
 * with the event log's partitions and their offsets (the topic exists and is readable), {@code DOWN} with the
 * reason otherwise. One metadata and two offset requests per check, through the asynchronous Admin client.
 */
public final class KafkaHealthIndicator implements ReactiveHealthIndicator {

    private final Supplier<Mono<Map<Integer, LogEndOffsets.LogRange>>> ranges;
    private final String topic;

    public KafkaHealthIndicator(Supplier<Mono<Map<Integer, LogEndOffsets.LogRange>>> ranges, String topic) {
        this.ranges = ranges;
        this.topic = topic;
    }

    @Override
    public Mono<Health> health() {
        return ranges.get()
                .map(partitions -> Health.up().withDetail("topic", topic).withDetail("partitions", partitions.size())
                        .withDetail("records", partitions.values().stream().mapToLong(r -> r.next() - r.earliest()).sum())
                        .build())
                .onErrorResume(e -> Mono.just(Health.down(e).withDetail("topic", topic).build()));
    }
}
