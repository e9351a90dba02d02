package dev.pulse.ingest.kafka;

import dev.pulse.config.KafkaProperties;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverPartition;
import reactor.kafka.receiver.ReceiverRecord;

/**
 * Reads the event log as a member of the consumer group. The only Reactor Kafka consumer in Pulse, so
 * that it can be swapped for a plain {@code KafkaConsumer} loop without touching the pipeline.
 * Kafka's committed offsets are not used for correctness: on every assignment the caller says where
 * each partition resumes (its checkpoint), and Pulse seeks there.
 */
public final class EventLogReceiver {

    private static final Logger log = LoggerFactory.getLogger(EventLogReceiver.class);
    /** A record with neither key nor value was never decoded, so it has no generation: every lane takes it (it is a dead letter anyway). */
    static final long UNTAGGED = Long.MAX_VALUE;

    private final KafkaProperties properties;
    /** The receiver of the live subscription, for {@link #positions()}. */
    private final AtomicReference<KafkaReceiver<?, ?>> current = new AtomicReference<>();

    public EventLogReceiver(KafkaProperties properties) {
        this.properties = properties;
    }

    /**
     * Cold and infinite: each subscription creates a consumer that joins the group; cancelling closes it.
     * Errors when the consumer fails (including when {@code resumeAt} throws); the caller resubscribes.
     *
     * @param resumeAt  called on Kafka's polling thread (which may block) with newly assigned partitions;
     *                  answers the next offset to read per partition, or none to start from the beginning
     * @param onRevoked called with partitions taken away, before they move to another member
     */
    public Flux<LogRecord> receive(Function<Assignment, Map<Integer, Long>> resumeAt, Consumer<Set<Integer>> onRevoked) {
        return Flux.defer(() -> {
            // Per subscription: generations only compare records and assignments of one consumer.
            AtomicLong generation = new AtomicLong();
            ReceiverOptions<GenerationTagging.Tagged<String>, GenerationTagging.Tagged<byte[]>> options =
                    ReceiverOptions.<GenerationTagging.Tagged<String>, GenerationTagging.Tagged<byte[]>>create(Map.of(
                                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                                    ConsumerConfig.GROUP_ID_CONFIG, properties.groupId(),
                                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.maxPollRecords(),
                                    ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) properties.sessionTimeout().toMillis(),
                                    // a third of the session, as Kafka advises, so one lost heartbeat does not end it
                                    ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) properties.sessionTimeout().toMillis() / 3,
                                    ConsumerConfig.CLIENT_ID_CONFIG, "pulse-receiver"))
                            .withKeyDeserializer(new GenerationTagging<>(new StringDeserializer(), generation::get))
                            .withValueDeserializer(new GenerationTagging<>(new ByteArrayDeserializer(), generation::get))
                            .commitInterval(Duration.ofSeconds(5))
                            .subscription(List.of(properties.topic()))
                            .addAssignListener(partitions -> seek(partitions, generation.incrementAndGet(), resumeAt))
                            .addRevokeListener(partitions -> onRevoked.accept(numbers(partitions)));
            // Paced by demand: receive() without a prefetch asks the consumer loop for one poll at a time
            // (publishOn and flatMapIterable with a prefetch of 1 in Reactor Kafka 1.3), and the loop pauses every
            // assigned partition while nothing is asked for, so at most about two polls wait here beyond what the
            // pipeline asked for. maxDeferredCommits would not bound anything: it counts out-of-order
            // acknowledgements, and records are acknowledged in order as soon as they are detached.
            KafkaReceiver<GenerationTagging.Tagged<String>, GenerationTagging.Tagged<byte[]>> receiver = KafkaReceiver.create(options);
            current.set(receiver);
            return receiver.receive().map(EventLogReceiver::detach).doFinally(signal -> current.compareAndSet(receiver, null));
        });
    }

    /**
     * The consumer's position per assigned partition: the offset its next poll starts at, i.e. how far it
     * has read the log (records fetched ahead but not yet polled are not counted). Cold, completes with one
     * map, empty while no consumer runs; errors if the consumer is closing. Runs on the consumer's thread.
     */
    public Mono<Map<Integer, Long>> positions() {
        KafkaReceiver<?, ?> receiver = current.get();
        if (receiver == null) {
            return Mono.just(Map.of());
        }
        return receiver.doOnConsumer(consumer -> consumer.assignment().stream()
                .collect(Collectors.toUnmodifiableMap(TopicPartition::partition, consumer::position)));
    }

    private static void seek(Collection<ReceiverPartition> partitions, long generation,
                             Function<Assignment, Map<Integer, Long>> resumeAt) {
        Map<Integer, Long> offsets = resumeAt.apply(new Assignment(numbers(partitions), generation));
        for (ReceiverPartition partition : partitions) {
            Long next = offsets.get(partition.topicPartition().partition());
            if (next == null) {
                partition.seekToBeginning();
            } else {
                partition.seek(next);
            }
        }
        log.info("assigned partitions {} (generation {}), resuming at {}", numbers(partitions), generation, offsets);
    }

    private static Set<Integer> numbers(Collection<ReceiverPartition> partitions) {
        return partitions.stream().map(p -> p.topicPartition().partition()).collect(Collectors.toUnmodifiableSet());
    }

    private static LogRecord detach(ReceiverRecord<GenerationTagging.Tagged<String>, GenerationTagging.Tagged<byte[]>> record) {
        // Offsets live in the checkpoint; acknowledging only feeds Kafka's informational commits.
        record.receiverOffset().acknowledge();
        GenerationTagging.Tagged<String> key = record.key();
        GenerationTagging.Tagged<byte[]> value = record.value();
        long generation = key != null ? key.generation() : value != null ? value.generation() : UNTAGGED;
        return new LogRecord(record.topic(), record.partition(), record.offset(), key == null ? null : key.data(),
                value == null ? null : value.data(), generation);
    }
}
