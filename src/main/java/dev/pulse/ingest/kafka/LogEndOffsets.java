package dev.pulse.ingest.kafka;

import dev.pulse.config.KafkaProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The event log's partitions and their first and next offsets, from the broker, through Kafka's
 * asynchronous Admin client: nothing blocks, answers complete on the client's network thread and are
 * handed to {@code scheduler} before any caller's code runs.
 */
public final class LogEndOffsets implements AutoCloseable {

    /** A partition's readable range: {@code [earliest, next)}; {@code next} is the offset the next record will get. */
    public record LogRange(int partition, long earliest, long next) {
    }

    /** What {@code listOffsets} answers for a timestamp after every record of a partition. */
    private static final long NONE = -1;

    private final Admin admin;
    private final String topic;
    private final Duration timeout;
    private final Scheduler scheduler;

    public LogEndOffsets(KafkaProperties properties, Duration timeout, Scheduler scheduler) {
        int timeoutMs = (int) timeout.toMillis();
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "pulse-offsets",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs));
        this.topic = properties.topic();
        this.timeout = timeout;
        this.scheduler = scheduler;
    }

    /** Cold; one value per call, by partition; errors when the broker does not answer within the timeout. */
    public Mono<Map<Integer, LogRange>> ranges() {
        return Mono.defer(() -> from(admin.describeTopics(List.of(topic)).allTopicNames()))
                .flatMap(topics -> {
                    TopicDescription description = topics.get(topic);
                    List<TopicPartition> partitions = description.partitions().stream()
                            .map(p -> new TopicPartition(topic, p.partition())).toList();
                    return Mono.zip(offsets(partitions, OffsetSpec.earliest()), offsets(partitions, OffsetSpec.latest()));
                })
                .map(both -> {
                    Map<Integer, LogRange> ranges = new HashMap<>();
                    both.getT2().forEach((partition, next) ->
                            ranges.put(partition, new LogRange(partition, both.getT1().getOrDefault(partition, 0L), next)));
                    return Map.copyOf(ranges);
                })
                .timeout(timeout.plusSeconds(1))
                .publishOn(scheduler);
    }

    /**
     * The offset of each partition's first record whose Kafka timestamp is at or after {@code instant}, or the
     * partition's next offset when it has none (Kafka's {@code offsetsForTimes}). Cold; errors when the broker does
     * not answer within the timeout.
     */
    public Mono<Map<Integer, Long>> firstAtOrAfter(Instant instant, Set<Integer> partitions) {
        List<TopicPartition> topicPartitions = partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
        return Mono.defer(() -> offsets(topicPartitions, OffsetSpec.forTimestamp(instant.toEpochMilli())))
                .flatMap(found -> {
                    List<TopicPartition> after = topicPartitions.stream()
                            .filter(p -> found.getOrDefault(p.partition(), NONE) == NONE).toList();
                    if (after.isEmpty()) {
                        return Mono.just(found);
                    }
                    return offsets(after, OffsetSpec.latest()).map(ends -> {
                        Map<Integer, Long> all = new HashMap<>(found);
                        all.putAll(ends);
                        return Map.copyOf(all);
                    });
                })
                .timeout(timeout.plusSeconds(1))
                .publishOn(scheduler);
    }

    private Mono<Map<Integer, Long>> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = partitions.stream().collect(Collectors.toMap(Function.identity(), p -> spec));
        return from(admin.listOffsets(request).all()).map(result -> result.entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().partition(), e -> offset(e.getValue()))));
    }

    private static long offset(ListOffsetsResult.ListOffsetsResultInfo info) {
        return info.offset();
    }

    private static <T> Mono<T> from(KafkaFuture<T> future) {
        // Cancelling only stops waiting: the Admin call itself ends at its own timeout.
        return Mono.fromCompletionStage(future.toCompletionStage());
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
