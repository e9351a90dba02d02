package dev.pulse.pipeline;

import dev.pulse.config.StreamProperties;
import dev.pulse.event.Event;
import dev.pulse.family.FamilyBatch;
import dev.pulse.family.FamilyState;
import dev.pulse.ingest.EventJson;
import dev.pulse.ingest.kafka.EventLogReceiver;
import dev.pulse.ingest.kafka.EventLogSender;
import dev.pulse.ingest.kafka.LogRecord;
import dev.pulse.projection.BatchOutcome;
import dev.pulse.projection.FamilyMetricsRow;
import dev.pulse.projection.PartitionCheckpoint;
import dev.pulse.projection.ProjectionWriter;
import dev.pulse.push.hub.UpdateHub;
import dev.pulse.stream.time.StreamTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * The stream: log records → one ordered lane per partition → micro-batches → one PostgreSQL
 * transaction per batch (dedup ids, family state, metrics, offset) → pushes after commit
 * (ARCHITECTURE.md). PostgreSQL is the only commit point: on every assignment a partition resumes from
 * its stored offset, so a crash or a failed batch replays exactly the uncommitted tail.
 */
public final class EventPipeline {

    private static final Logger log = LoggerFactory.getLogger(EventPipeline.class);
    /** More than any topic's partition count: every lane must be subscribed at once. */
    private static final int MAX_LANES = 1024;

    private final EventLogReceiver receiver;
    private final EventLogSender sender;
    private final ProjectionWriter writer;
    private final TransactionalOperator transactions;
    private final UpdateHub hub;
    private final EventJson json;
    private final FamilyBatch familyBatch;
    private final StreamProperties stream;
    private final InstantSource clock;
    private final Scheduler scheduler;
    private final Map<Integer, LaneState> lanes = new ConcurrentHashMap<>();

    public EventPipeline(EventLogReceiver receiver, EventLogSender sender, ProjectionWriter writer,
                         TransactionalOperator transactions, UpdateHub hub, EventJson json, FamilyBatch familyBatch,
                         StreamProperties stream, InstantSource clock, Scheduler scheduler) {
        this.receiver = receiver;
        this.sender = sender;
        this.writer = writer;
        this.transactions = transactions;
        this.hub = hub;
        this.json = json;
        this.familyBatch = familyBatch;
        this.stream = stream;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /** Cold and infinite: consumes the log until cancelled; resubscribes with backoff after any failure. */
    public Flux<BatchOutcome> run() {
        return Flux.defer(() -> receiver.receive(this::resumeAt, this::revoked))
                .groupBy(LogRecord::partition)
                .flatMap(lane -> lane
                        .bufferTimeout(stream.checkpointMaxEvents(), stream.checkpointInterval(), scheduler, true)
                        .concatMap(records -> process(lane.key(), records)), MAX_LANES)
                .doOnError(e -> {
                    log.warn("event pipeline failed, resuming from the stored checkpoints: {}", e.toString(), e);
                    lanes.clear();
                })
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30)));
    }

    /** Called on Kafka's polling thread, which may block: loads the assigned partitions' checkpoints. */
    private Map<Integer, Long> resumeAt(Set<Integer> partitions) {
        Map<Integer, PartitionCheckpoint> checkpoints = writer.loadCheckpoints(partitions).block(Duration.ofSeconds(30));
        Map<Integer, Long> offsets = new HashMap<>();
        for (int partition : partitions) {
            PartitionCheckpoint checkpoint = checkpoints == null ? null : checkpoints.get(partition);
            lanes.put(partition, new LaneState(checkpoint == null ? StreamTime.NONE : checkpoint.streamTime()));
            if (checkpoint != null) {
                offsets.put(partition, checkpoint.nextOffset());
            }
        }
        return offsets;
    }

    private void revoked(Set<Integer> partitions) {
        partitions.forEach(lanes::remove);
    }

    private Mono<BatchOutcome> process(int partition, List<LogRecord> records) {
        LaneState lane = lanes.computeIfAbsent(partition, p -> new LaneState(StreamTime.NONE));
        DecodedBatch batch = DecodedBatch.decode(partition, records, json);
        Instant now = clock.instant();
        // Dead letters go first: once the offset commits, the bad records must already be in the DLQ.
        return sender.appendDeadLetters(batch.deadLetters())
                .then(transactions.transactional(commit(lane, batch, now)))
                .map(committed -> {
                    lane.commit(committed.result().streamTime(), committed.result().changed());
                    hub.publishMetrics(committed.result().metrics().stream()
                            .map(m -> FamilyMetricsRow.of(m, now)).toList());
                    return committed.outcome();
                });
    }

    private Mono<Committed> commit(LaneState lane, DecodedBatch batch, Instant now) {
        return writer.claimEventIds(batch.partition(), batch.events(), batch.offsets(), now)
                .flatMap(newIds -> {
                    List<Event> fresh = batch.events().stream().filter(e -> newIds.contains(e.eventId())).toList();
                    Set<String> unknown = new LinkedHashSet<>();
                    for (Event event : fresh) {
                        if (!lane.knows(event.aggregateId())) {
                            unknown.add(event.aggregateId());
                        }
                    }
                    return writer.loadStates(unknown).flatMap(loaded -> {
                        FamilyBatch.Result result = familyBatch.apply(lane.streamTime(), id -> stateOf(lane, loaded, id), fresh);
                        int duplicates = batch.repeatsInBatch() + batch.events().size() - fresh.size();
                        BatchOutcome outcome = new BatchOutcome(batch.partition(), batch.lastOffset(),
                                fresh.isEmpty() ? null : fresh.get(fresh.size() - 1), fresh.size(), duplicates,
                                batch.deadLetters().size(),
                                result.streamTime().isNone() ? null : result.streamTime().instant(),
                                result.streamTime().isNone() ? null : result.streamTime().watermark(stream.maxOutOfOrderness()));
                        return writer.upsertStates(batch.partition(), result.changed().values(), now)
                                .then(writer.upsertMetrics(batch.partition(), result.metrics(), now))
                                .then(writer.writeCheckpoint(outcome, now))
                                .thenReturn(new Committed(result, outcome));
                    });
                });
    }

    private static FamilyState stateOf(LaneState lane, Map<String, FamilyState> loaded, String familyId) {
        FamilyState known = lane.family(familyId);
        if (known != null) {
            return known;
        }
        return loaded.getOrDefault(familyId, FamilyState.empty(familyId));
    }

    private record Committed(FamilyBatch.Result result, BatchOutcome outcome) {
    }
}
