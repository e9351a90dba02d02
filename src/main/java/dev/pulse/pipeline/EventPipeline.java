package dev.pulse.pipeline;

import dev.pulse.config.StreamProperties;
import dev.pulse.event.Event;
import dev.pulse.engine.EngineOutput;
import dev.pulse.engine.EngineSettings;
import dev.pulse.engine.PartitionEngine;
import dev.pulse.ingest.EventJson;
import dev.pulse.ingest.kafka.EventLogReceiver;
import dev.pulse.ingest.kafka.EventLogSender;
import dev.pulse.ingest.kafka.LogRecord;
import dev.pulse.projection.BatchOutcome;
import dev.pulse.projection.CounterStore;
import dev.pulse.projection.DetectionRow;
import dev.pulse.projection.FamilyMetricsRow;
import dev.pulse.projection.PartitionCheckpoint;
import dev.pulse.projection.ProjectionWriter;
import dev.pulse.push.hub.UpdateHub;
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
    private final CounterStore counters;
    private final TransactionalOperator transactions;
    private final UpdateHub hub;
    private final EventJson json;
    private final EngineSettings engineSettings;
    private final FamilySnapshotCodec snapshots;
    private final StreamProperties stream;
    private final InstantSource clock;
    private final Scheduler scheduler;
    private final Map<Integer, PartitionEngine> lanes = new ConcurrentHashMap<>();

    public EventPipeline(EventLogReceiver receiver, EventLogSender sender, ProjectionWriter writer, CounterStore counters,
                         TransactionalOperator transactions, UpdateHub hub, EventJson json, EngineSettings engineSettings,
                         StreamProperties stream, InstantSource clock, Scheduler scheduler) {
        this.receiver = receiver;
        this.sender = sender;
        this.writer = writer;
        this.counters = counters;
        this.transactions = transactions;
        this.hub = hub;
        this.json = json;
        this.engineSettings = engineSettings;
        this.snapshots = new FamilySnapshotCodec(json);
        this.stream = stream;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /** Cold and infinite: consumes the log until cancelled; resubscribes with backoff after any failure. */
    public Flux<BatchOutcome> run() {
        return Flux.defer(() -> receiver.receive(this::resumeAt, this::revoked))
                .groupBy(LogRecord::partition)
                .flatMap(lane -> inputs(lane)
                        .concatMap(input -> input.records() != null ? process(lane.key(), input.records()) : idle(lane.key())),
                        MAX_LANES)
                .doOnError(e -> {
                    log.warn("event pipeline failed, resuming from the stored checkpoints: {}", e.toString(), e);
                    lanes.clear();
                })
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30)));
    }

    /** A lane's work, in order: micro-batches of records, and (with idle-advance on) periodic idle checks. */
    private record LaneInput(List<LogRecord> records) {
        static final LaneInput IDLE_CHECK = new LaneInput(null);
    }

    private Flux<LaneInput> inputs(reactor.core.publisher.GroupedFlux<Integer, LogRecord> lane) {
        Flux<LaneInput> batches = lane
                .bufferTimeout(stream.checkpointMaxEvents(), stream.checkpointInterval(), scheduler, true)
                .map(LaneInput::new);
        return Flux.merge(batches, IdleChecks.every(stream.idleAdvance(), scheduler).map(tick -> LaneInput.IDLE_CHECK));
    }

    /** Called on Kafka's polling thread, which may block: loads the assigned partitions' checkpoints. */
    private Map<Integer, Long> resumeAt(Set<Integer> partitions) {
        Map<Integer, PartitionCheckpoint> checkpoints = writer.loadCheckpoints(partitions).block(Duration.ofSeconds(30));
        Map<Integer, Long> offsets = new HashMap<>();
        for (int partition : partitions) {
            PartitionCheckpoint checkpoint = checkpoints == null ? null : checkpoints.get(partition);
            lanes.put(partition, checkpoint == null ? PartitionEngine.fresh(engineSettings, clock)
                    : new PartitionEngine(engineSettings, checkpoint.streamTime(), checkpoint.watermark(), clock));
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
        PartitionEngine engine = lanes.computeIfAbsent(partition, p -> PartitionEngine.fresh(engineSettings, clock));
        DecodedBatch batch = DecodedBatch.decode(partition, records, json);
        Instant now = clock.instant();
        // Dead letters go first: once the offset commits, the bad records must already be in the DLQ.
        return sender.appendDeadLetters(batch.deadLetters())
                .then(transactions.transactional(commit(engine, batch, now)))
                .map(committed -> {
                    // The engine already holds the batch; if the commit had failed, the whole lane would be
                    // dropped and rebuilt from the checkpoint, so only committed output is ever pushed.
                    publish(committed.output(), now);
                    return committed.outcome();
                });
    }

    private Mono<Committed> commit(PartitionEngine engine, DecodedBatch batch, Instant now) {
        return writer.claimEventIds(batch.partition(), batch.events(), batch.offsets(), now)
                .flatMap(newIds -> {
                    List<Event> fresh = batch.events().stream().filter(e -> newIds.contains(e.eventId())).toList();
                    Set<String> unknown = new LinkedHashSet<>();
                    for (Event event : fresh) {
                        if (!engine.knows(event.aggregateId())) {
                            unknown.add(event.aggregateId());
                        }
                    }
                    // The engine step is CPU work: run it on the lane scheduler, not on the database's event loop.
                    return writer.loadStates(unknown).publishOn(scheduler).flatMap(stored -> {
                        stored.forEach((familyId, bytes) -> engine.restore(snapshots.decode(familyId, bytes)));
                        EngineOutput output = engine.apply(fresh);
                        int duplicates = batch.repeatsInBatch() + batch.events().size() - fresh.size();
                        BatchOutcome outcome = new BatchOutcome(batch.partition(), batch.lastOffset(),
                                fresh.isEmpty() ? null : fresh.get(fresh.size() - 1), fresh.size(), duplicates,
                                batch.deadLetters().size(), output.lateEvents(),
                                output.streamTime().isNone() ? null : output.streamTime().instant(),
                                output.watermark().isNone() ? null : output.watermark().instant());
                        return write(batch.partition(), engine, output, batch.offsetsById(), now)
                                .then(writer.writeCheckpoint(outcome, now))
                                .thenReturn(new Committed(output, outcome));
                    });
                });
    }

    /** An idle check: when the watermark moved, what it finalised is committed and pushed like a batch's output. */
    private Mono<BatchOutcome> idle(int partition) {
        PartitionEngine engine = lanes.get(partition);
        if (engine == null) {
            return Mono.empty();
        }
        return Mono.justOrEmpty(engine.onIdleCheck()).flatMap(output -> {
            Instant now = clock.instant();
            return transactions.transactional(write(partition, engine, output, Map.of(), now)
                            .then(writer.advanceWatermark(partition, output.watermark().instant(), now)))
                    .then(Mono.fromRunnable(() -> publish(output, now)));
        });
    }

    /**
     * Writes what one engine step produced, inside the caller's transaction: the checkpoint form of every
     * family it changed, their metrics, counter rows and late events, and detection changes.
     */
    private Mono<Void> write(int partition, PartitionEngine engine, EngineOutput output, Map<String, Long> offsetsById,
                             Instant now) {
        Map<String, byte[]> states = new HashMap<>();
        output.changedFamilies().forEach(id -> states.put(id, snapshots.encode(engine.snapshot(id))));
        return writer.upsertStates(partition, states, now)
                .then(writer.upsertMetrics(partition, output.metrics(), now))
                .then(counters.write(output.counters(), partition, offsetsById, now))
                .then(writer.writeDetections(output.detections(), now));
    }

    private void publish(EngineOutput output, Instant now) {
        hub.publishMetrics(output.metrics().stream().map(m -> FamilyMetricsRow.of(m, now)).toList());
        hub.publishDetections(output.detections().stream().map(d -> DetectionRow.of(d, now)).toList());
    }

    private record Committed(EngineOutput output, BatchOutcome outcome) {
    }
}
