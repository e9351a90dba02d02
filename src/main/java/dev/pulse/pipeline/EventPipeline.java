package dev.pulse.pipeline;

import dev.pulse.config.StreamProperties;
import dev.pulse.event.Event;
import dev.pulse.engine.EngineOutput;
import dev.pulse.engine.EngineSettings;
import dev.pulse.engine.PartitionEngine;
import dev.pulse.ingest.EventJson;
import dev.pulse.ingest.kafka.Assignment;
import dev.pulse.ingest.kafka.EventLogReceiver;
import dev.pulse.ingest.kafka.EventLogSender;
import dev.pulse.ingest.kafka.LogRecord;
import dev.pulse.pipeline.LaneInputs.LaneInput;
import dev.pulse.projection.BatchOutcome;
import dev.pulse.projection.CheckpointStatus;
import dev.pulse.projection.CounterStore;
import dev.pulse.projection.DetectionRow;
import dev.pulse.projection.FamilyMetricsRow;
import dev.pulse.projection.FamilyStateStore;
import dev.pulse.projection.PartitionCheckpoint;
import dev.pulse.projection.PartitionFencedException;
import dev.pulse.projection.ProjectionWriter;
import dev.pulse.push.relay.CommittedUpdates;
import dev.pulse.push.relay.UpdateRelay;
import dev.pulse.rules.RuleVersion;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.GroupedFlux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * The stream: log records → one ordered lane per partition → micro-batches → one PostgreSQL
 * transaction per batch (dedup ids, family state, metrics, offset, and the announcement of what it
 * changed, which every instance's clients receive on commit) (ARCHITECTURE.md). PostgreSQL is the only commit point: on every assignment a partition is claimed
 * (its owner epoch raised) and resumes from its stored offset, so a crash or a failed batch replays
 * exactly the uncommitted tail, and a checkpoint of an instance that lost the partition since is
 * refused (SPEC §4 fencing).
 */
public final class EventPipeline {

    private static final Logger log = LoggerFactory.getLogger(EventPipeline.class);
    /** More than any topic's partition count: every lane must be subscribed at once. */
    private static final int MAX_LANES = 1024;
    private static final Duration FAILURE_RECORD_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_ERROR_LENGTH = 500;
    /** Well inside the consumer's max.poll.interval (5 min), which the restore runs within. */
    private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(4);
    /** How often a lane holding records above its {@link OffsetCeiling} looks whether the ceiling rose. */
    private static final Duration CEILING_POLL = Duration.ofMillis(50);
    /**
     * A checkpoint over a second holds its partition's pushes back past what a coordinator notices: worth a line in
     * the log, but not one per batch of a backfill, where that is the norm.
     */
    private final SlowCheckpoints slowCheckpoints = new SlowCheckpoints(Duration.ofSeconds(1), Duration.ofMinutes(1));

    private final EventLogReceiver receiver;
    private final EventLogSender sender;
    private final ProjectionWriter writer;
    private final FamilyStateStore states;
    private final CounterStore counters;
    private final TransactionalOperator transactions;
    private final UpdateRelay relay;
    private final EventJson json;
    private final EngineSettings engineSettings;
    /** The active rule version (SPEC §4.1); read when a lane is made and before each of its steps. */
    private final Supplier<RuleVersion> activeRules;
    private final FamilySnapshotCodec snapshots;
    private final StreamProperties stream;
    private final InstantSource clock;
    private final Scheduler scheduler;
    private final String instanceId;
    private final OffsetCeiling ceiling;
    private final LogStart start;
    private final boolean deadLetters;
    private final LongConsumer checkpointNanos;
    private final AtomicLong fencedCheckpoints = new AtomicLong();
    /** The limit of the current subscription (each resubscription starts a fresh one). */
    private volatile InFlightLimit inFlight;
    /** Set when the pipeline fails; cleared by the next claim or commit, i.e. once it works again. */
    private volatile String failure;
    /** Emits once {@link #drain()} was called: no more records are taken, what was taken is checkpointed. */
    private final Sinks.Empty<Void> draining = Sinks.empty();

    public EventPipeline(EventLogReceiver receiver, EventLogSender sender, ProjectionWriter writer, FamilyStateStore states,
                         CounterStore counters, TransactionalOperator transactions, UpdateRelay relay, EventJson json,
                         EngineSettings engineSettings, Supplier<RuleVersion> activeRules, StreamProperties stream,
                         InstantSource clock, Scheduler scheduler, String instanceId) {
        this(receiver, sender, writer, states, counters, transactions, relay, json, engineSettings, activeRules, stream, clock,
                scheduler, instanceId, OffsetCeiling.UNBOUNDED, LogStart.BEGINNING, true, nanos -> { });
    }

    /**
     * @param ceiling         how far each lane may checkpoint now ({@link OffsetCeiling#UNBOUNDED} but in a replay)
     * @param start           where a partition with no checkpoint is read from ({@link LogStart#BEGINNING} but in a
     *                        replay from an instant)
     * @param deadLetters     whether records that cannot be read go to the DLQ; a replay's do not, they are there
     *                        already from when the live pipeline first read them (SPEC §4.1: side effects isolated)
     * @param checkpointNanos told the duration of every checkpoint transaction that committed (batch or idle
     *                        check), from its first statement to its commit, in nanoseconds; must not block
     */
    public EventPipeline(EventLogReceiver receiver, EventLogSender sender, ProjectionWriter writer, FamilyStateStore states,
                         CounterStore counters, TransactionalOperator transactions, UpdateRelay relay, EventJson json,
                         EngineSettings engineSettings, Supplier<RuleVersion> activeRules, StreamProperties stream,
                         InstantSource clock, Scheduler scheduler, String instanceId, OffsetCeiling ceiling, LogStart start,
                         boolean deadLetters, LongConsumer checkpointNanos) {
        this.ceiling = ceiling;
        this.start = start;
        this.deadLetters = deadLetters;
        this.checkpointNanos = checkpointNanos;
        this.receiver = receiver;
        this.sender = sender;
        this.writer = writer;
        this.states = states;
        this.counters = counters;
        this.transactions = transactions;
        this.relay = relay;
        this.json = json;
        this.engineSettings = engineSettings;
        this.activeRules = activeRules;
        this.snapshots = new FamilySnapshotCodec(json);
        this.stream = stream;
        this.clock = clock;
        this.scheduler = scheduler;
        this.instanceId = instanceId;
    }

    /** The owner name this instance writes into the checkpoints it claims. */
    public String instanceId() {
        return instanceId;
    }

    /** Checkpoint transactions rolled back so far because another claim had raised the partition's epoch. */
    public long fencedCheckpoints() {
        return fencedCheckpoints.get();
    }

    /**
     * Records taken from the receiver whose batch is not done yet (committed, skipped or failed); never
     * more than {@code pulse.stream.max-in-flight-events}. 0 before the pipeline first runs.
     */
    public long recordsInFlight() {
        InFlightLimit limit = inFlight;
        return limit == null ? 0 : limit.inFlight();
    }

    /**
     * Why the pipeline last failed, while it has not since claimed a partition or committed a checkpoint;
     * empty while it works. Covers failures no checkpoint row can show (no partition assigned yet, or
     * the database itself unreachable).
     */
    public Optional<String> currentFailure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Cold and infinite: consumes the log until cancelled. After any failure it marks the affected
     * partitions {@code error}, then resubscribes with backoff (1 s doubling to 30 s, reset by progress).
     */
    public Flux<BatchOutcome> run() {
        return Flux.defer(() -> {
                    // The lanes of one consumer: a failure drops them all with it, and callbacks of a consumer
                    // still closing cannot touch its successor's lanes.
                    Map<Integer, Lane> lanes = new ConcurrentHashMap<>();
                    InFlightLimit limit = new InFlightLimit(stream.maxInFlightEvents());
                    inFlight = limit;
                    // A drain ends the source: every lane's last buffer is checkpointed, then the lanes complete.
                    return limit.admit(receiver.receive(assignment -> resumeAt(lanes, assignment),
                                    revoked -> revoke(lanes, revoked)).takeUntilOther(draining.asMono()))
                            .groupBy(LogRecord::partition)
                            .flatMap(lane -> inputs(lane).concatMap(input -> input.records() != null
                                    ? processUpToCeiling(lanes, lane.key(), input.records())
                                            // Every record that entered a batch leaves the limit here, whether its
                                            // batch committed, was skipped (revoked lane, stale generation) or failed.
                                            .doFinally(signal -> limit.release(input.records().size()))
                                    : idle(lanes, lane.key()).flux()), MAX_LANES)
                            .onErrorResume(e -> e instanceof RejoinRequested ? Mono.error(e)
                                    : recordFailure(Set.copyOf(lanes.keySet()), e).then(Mono.error(e)))
                            // Completes only when drained: every lane's last batch has committed by now.
                            .concatWith(Mono.defer(() -> markStopped(null)).then(Mono.empty()));
                })
                .doOnError(e -> {
                    if (e instanceof RejoinRequested) {
                        log.info("event pipeline restarts its consumer to rejoin the group: {}", e.getMessage());
                    } else {
                        log.warn("event pipeline failed, resuming from the stored checkpoints: {}", e.toString(), e);
                    }
                })
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
                        .transientErrors(true));
    }

    /**
     * A partition as this instance holds it: its engine, the owner epoch its claim raised the row to, the
     * receiver generation of that assignment (older records are not this lane's), its recent rate, and the rule
     * version its engine runs.
     */
    private record Lane(PartitionEngine engine, long epoch, long generation, RecentRate rate, RuleVersion rules) {
    }

    /**
     * The lane to run the next step with: the same one, or, when the active rule version changed since its last
     * step, one whose engine runs the new version (SPEC §4.1). Called only between steps (a lane's steps are
     * sequential), so a switch never falls inside a micro-batch. The new engine is the old one's state restored
     * under the new rules, exactly as a restart or a rebalance with the new version would restore the checkpoint
     * the last step committed: detections already stored stay as they are (and name the old version); the new
     * rules judge what arrives from now on, and re-derive their view of the retained history silently. CPU work on
     * the calling (non-blocking) thread, proportional to the partition's retained events; rule changes are rare.
     */
    private Lane current(Map<Integer, Lane> lanes, int partition) {
        Lane lane = lanes.get(partition);
        if (lane == null) {
            return null;
        }
        RuleVersion active = activeRules.get();
        if (active.number() == lane.rules().number()) {
            return lane;
        }
        long started = System.nanoTime();
        int families = lane.engine().familyIds().size();
        PartitionEngine engine = RuleSwitch.rebuild(lane.engine(), engineSettings.withRules(active.rules()), clock);
        Lane switched = new Lane(engine, lane.epoch(), lane.generation(), lane.rate(), active);
        // A revocation or fencing may have removed the lane meanwhile: then it stays removed.
        if (!lanes.replace(partition, lane, switched)) {
            return lanes.get(partition) == null ? null : current(lanes, partition);
        }
        log.info("partition {}: rule version {} -> {} ({} families re-derived in {} ms)", partition, lane.rules().number(),
                active.number(), families, (System.nanoTime() - started) / 1_000_000);
        return switched;
    }

    private Flux<LaneInput> inputs(GroupedFlux<Integer, LogRecord> lane) {
        return LaneInputs.of(lane, stream.checkpointMaxEvents(), stream.checkpointInterval(), stream.idleAdvance(), scheduler,
                draining.asMono());
    }

    /**
     * Called on Kafka's polling thread, which may block, before the partitions move to another member: their lanes
     * go, and their rows say {@code stopped} until the next owner claims them. A batch of theirs already committing
     * may still set a row {@code running} after this; the next claim settles it either way.
     */
    private void revoke(Map<Integer, Lane> lanes, Set<Integer> revoked) {
        revoked.forEach(lanes::remove);
        markStopped(revoked).block(FAILURE_RECORD_TIMEOUT.plusSeconds(1));
    }

    /** Marks these partitions of this instance (null: all of them) {@code stopped}; a failure to mark them is logged, not raised. */
    private Mono<Void> markStopped(Set<Integer> partitions) {
        return writer.markStopped(partitions, instanceId, clock.instant())
                .timeout(FAILURE_RECORD_TIMEOUT)
                .onErrorResume(e -> {
                    log.warn("could not mark partitions {} as stopped: {}", partitions == null ? "(all of this instance's)" : partitions,
                            e.toString());
                    return Mono.empty();
                });
    }

    /**
     * Graceful stop (SIGTERM): takes no more records from the log, checkpoints the ones already taken, and
     * completes {@link #run()}. What was not taken yet stays in the log for the next start. Idempotent.
     */
    public void drain() {
        draining.tryEmitEmpty();
    }

    /**
     * Called on Kafka's polling thread, which may block: claims the assigned partitions (raising their
     * owner epochs) and answers where each resumes.
     */
    private Map<Integer, Long> resumeAt(Map<Integer, Lane> lanes, Assignment assignment) {
        if (assignment.partitions().isEmpty()) {
            return Map.of();
        }
        Map<Integer, PartitionCheckpoint> claimed = writer.claim(assignment.partitions(), instanceId, clock.instant())
                .block(Duration.ofSeconds(30));
        Map<Integer, Long> offsets = new HashMap<>();
        for (int partition : assignment.partitions()) {
            PartitionCheckpoint checkpoint = claimed == null ? null : claimed.get(partition);
            if (checkpoint == null) {
                throw new IllegalStateException("claiming partition " + partition + " answered no checkpoint row");
            }
            RuleVersion rules = activeRules.get();
            PartitionEngine engine = new PartitionEngine(engineSettings.withRules(rules.rules()), checkpoint.streamTime(),
                    checkpoint.watermark(), clock);
            restoreFamilies(partition, engine, checkpoint.epoch());
            lanes.put(partition, new Lane(engine, checkpoint.epoch(), assignment.generation(),
                    new RecentRate(CheckpointStatus.RATE_WINDOW), rules));
            if (checkpoint.nextOffset() != null) {
                offsets.put(partition, checkpoint.nextOffset());
            }
        }
        startFresh(assignment.partitions().stream().filter(p -> claimed.get(p).nextOffset() == null).collect(Collectors.toSet()),
                claimed, offsets);
        log.info("claimed partitions {} as {} at epochs {}", assignment.partitions(), instanceId,
                claimed.values().stream().map(c -> c.partition() + "=" + c.epoch()).sorted().toList());
        failure = null;
        return offsets;
    }

    /**
     * Where the partitions without a checkpoint start ({@link LogStart}); one that starts past offset 0 has the offset
     * before its start stored as its checkpoint's, so that its lag, and a rebuild's switch-over, count from there
     * (a partition with no record after a rebuild's instant is caught up at once). On the polling thread.
     */
    private void startFresh(Set<Integer> fresh, Map<Integer, PartitionCheckpoint> claimed, Map<Integer, Long> offsets) {
        if (fresh.isEmpty()) {
            return;
        }
        Map<Integer, Long> firsts = start.firstOffsets(fresh);
        firsts.forEach((partition, first) -> {
            if (first > 0) {
                writer.startAfter(partition, claimed.get(partition).epoch(), first - 1, clock.instant())
                        .block(Duration.ofSeconds(30));
                offsets.put(partition, first);
            }
        });
        if (!firsts.isEmpty()) {
            log.info("partitions {} had no checkpoint: reading them from offsets {}", fresh, firsts);
        }
    }

    /**
     * Loads every family of the partition into its engine before any record is read, on the polling
     * thread (which may block). Eagerly, not on a family's next event: a quiet family's expiry timers,
     * absence deadlines and open windows must fire as stream time moves, exactly as in a run that never
     * stopped (SPEC §4: the projections equal those of one uninterrupted run).
     */
    private void restoreFamilies(int partition, PartitionEngine engine, long epoch) {
        long started = System.nanoTime();
        // The retained events first, grouped by family (read in event-time order, so each timeline is built by
        // appending), then the heads, each restored with its events. Both reads decode on the lane scheduler, one
        // after the other: the map is filled before the heads are read.
        Map<String, List<Event>> retained = new HashMap<>();
        Set<String> wholeSnapshots = new LinkedHashSet<>();
        Long restored = states.retainedEvents(partition)
                .publishOn(scheduler)
                .doOnNext(row -> retained.computeIfAbsent(row.familyId(), id -> new ArrayList<>())
                        .add(snapshots.decodeEvent(row.familyId(), row.eventId(), row.eventMillis(), row.body())))
                .thenMany(Flux.defer(() -> states.heads(partition)))
                .publishOn(scheduler)
                .doOnNext(head -> {
                    List<Event> events = retained.remove(head.getKey());
                    if (FamilySnapshotCodec.holdsEvents(head.getValue())) {
                        wholeSnapshots.add(head.getKey());
                    }
                    engine.restore(snapshots.decode(head.getKey(), head.getValue(), events == null ? List.of() : events));
                })
                .count()
                .block(RESTORE_TIMEOUT);
        if (!retained.isEmpty()) {
            // Only if a family moved to another partition (the topic's partition count changed): its head moved with
            // its next checkpoint, the events stored before stay with the old partition and are not its history here.
            log.warn("partition {}: {} families have retained events but no state in this partition; their events are ignored",
                    partition, retained.size());
        }
        convert(partition, engine, epoch, wholeSnapshots);
        log.info("partition {}: restored {} families in {} ms", partition, restored, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Rewrites families stored by an earlier Pulse, whose head held all their events, in the current form (head and
     * retained events apart), in one transaction fenced like a checkpoint. Their state does not change, only its
     * form; until this commits, every restore reads them in the old form again. Blocks: called on the polling thread.
     */
    private void convert(int partition, PartitionEngine engine, long epoch, Set<String> families) {
        if (families.isEmpty()) {
            return;
        }
        Map<String, byte[]> heads = new HashMap<>();
        List<FamilyStateStore.RetainedEvent> events = new ArrayList<>();
        for (String family : families) {
            heads.put(family, snapshots.encodeHead(engine.head(family)));
            engine.snapshot(family).events().forEach(e -> events.add(retainedEvent(e)));
        }
        transactions.transactional(writer.checkOwner(partition, epoch)
                        .then(states.write(partition, new FamilyStateStore.Changes(heads, events,
                                FamilyStateStore.Changes.NOTHING_PRUNED, FamilyStateStore.Changes.NOTHING_PRUNED), clock.instant())))
                .block(RESTORE_TIMEOUT);
        log.info("partition {}: {} families converted to state stored as it changes ({} retained events)", partition,
                families.size(), events.size());
    }

    private FamilyStateStore.RetainedEvent retainedEvent(Event e) {
        return new FamilyStateStore.RetainedEvent(e.aggregateId(), e.eventId(), StoredEventCodec.millis(e), snapshots.encodeEvent(e));
    }

    /**
     * The records at or below the partition's {@link OffsetCeiling} now, then (after a short wait on the lane's
     * scheduler, which holds up only this lane) the rest, as the ceiling rises. Without a ceiling, one step.
     */
    private Flux<BatchOutcome> processUpToCeiling(Map<Integer, Lane> lanes, int partition, List<LogRecord> records) {
        long highest = ceiling.highest(partition);
        if (highest == Long.MAX_VALUE || records.stream().allMatch(r -> r.offset() <= highest)) {
            return process(lanes, partition, records).flux();
        }
        if (lanes.get(partition) == null) {
            return Flux.empty(); // revoked while waiting: its records are the new owner's
        }
        List<LogRecord> now = records.stream().filter(r -> r.offset() <= highest).toList();
        List<LogRecord> later = records.stream().filter(r -> r.offset() > highest).toList();
        return (now.isEmpty() ? Flux.<BatchOutcome>empty() : process(lanes, partition, now).flux())
                .concatWith(Mono.delay(CEILING_POLL, scheduler)
                        .thenMany(Flux.defer(() -> processUpToCeiling(lanes, partition, later))));
    }

    /** Times a checkpoint transaction from subscription to commit; failed and fenced ones are not recorded. */
    private <T> Mono<T> timed(int partition, int events, Mono<T> checkpoint) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return checkpoint.doOnSuccess(done -> {
                long ended = System.nanoTime();
                long nanos = ended - started;
                checkpointNanos.accept(nanos);
                slowCheckpoints.record(partition, events, nanos, ended).ifPresent(log::warn);
            });
        });
    }

    private Mono<BatchOutcome> process(Map<Integer, Lane> lanes, int partition, List<LogRecord> records) {
        Lane lane = current(lanes, partition);
        if (lane == null) {
            // Revoked or fenced: whoever holds the partition now reads these records from the stored offset.
            return Mono.empty();
        }
        // Records read before this lane's assignment (and its seek) may still be in flight downstream.
        List<LogRecord> current = records.stream().filter(r -> r.generation() >= lane.generation()).toList();
        if (current.isEmpty()) {
            return Mono.empty();
        }
        DecodedBatch batch = DecodedBatch.decode(partition, current, json);
        Instant now = clock.instant();
        lane.rate().record(now, current.size());
        // Dead letters go first: once the offset commits, the bad records must already be in the DLQ.
        return (deadLetters ? sender.appendDeadLetters(batch.deadLetters()) : Mono.<Void>empty())
                .then(timed(partition, current.size(), transactions.transactional(writer.checkOwner(partition, lane.epoch())
                        .then(commit(lane, batch, now)))))
                .transform(step -> withinStepTimeout(partition, step))
                // The engine already holds the batch; had the commit failed, the whole lane would be dropped
                // and rebuilt from the checkpoint, and the batch's announcement rolled back with it.
                .doOnNext(committed -> failure = null)
                .onErrorResume(PartitionFencedException.class, e -> fenced(lanes, lane, e))
                .onErrorMap(e -> !(e instanceof RejoinRequested), e -> new BatchFailedException(partition, e));
    }

    private Mono<BatchOutcome> commit(Lane lane, DecodedBatch batch, Instant now) {
        PartitionEngine engine = lane.engine();
        return writer.claimEventIds(batch.partition(), batch.events(), batch.offsets(), now)
                .flatMap(newIds -> {
                    List<Event> fresh = batch.events().stream().filter(e -> newIds.contains(e.eventId())).toList();
                    // Every family with stored state was restored when the partition was assigned: a family the
                    // engine does not know is new. The engine step is CPU work: run it on the lane scheduler, not
                    // on the database's event loop.
                    return Mono.just(fresh).publishOn(scheduler).flatMap(distinct -> {
                        EngineOutput output = engine.apply(distinct);
                        int duplicates = batch.repeatsInBatch() + batch.events().size() - fresh.size();
                        BatchOutcome outcome = new BatchOutcome(batch.partition(), batch.lastOffset(),
                                fresh.isEmpty() ? null : fresh.get(fresh.size() - 1), fresh.size(), duplicates,
                                batch.deadLetters().size(), output.lateEvents(),
                                output.streamTime().isNone() ? null : output.streamTime().instant(),
                                output.watermark().isNone() ? null : output.watermark().instant());
                        Mono<Void> announcement = publish(output, lane.rules().number(), now);
                        return write(batch.partition(), engine, output, batch.offsetsById(), lane.rules().number(), now)
                                .then(writer.writeCheckpoint(outcome, lane.rate().perSecond(now), now))
                                .then(announcement)
                                .thenReturn(outcome);
                    });
                });
    }

    /**
     * Fails a lane step that has not ended within {@code pulse.stream.step-timeout}: cancelled, its transaction rolls
     * back, and the failure takes the path of any failed batch (the partition shows it, the pipeline resumes from the
     * stored checkpoints). A step that never ends would otherwise hold its partition, silently, for as long as
     * this instance runs.
     */
    private <T> Mono<T> withinStepTimeout(int partition, Mono<T> step) {
        Duration limit = stream.stepTimeout();
        return step.timeout(limit, Mono.error(() -> new TimeoutException("partition " + partition + ": a step (engine, "
                + "checkpoint transaction, pushes) did not end within " + limit + " (pulse.stream.step-timeout)")), scheduler);
    }

    /** An idle check: when the watermark moved, what it finalised is committed and pushed like a batch's output. */
    private Mono<BatchOutcome> idle(Map<Integer, Lane> lanes, int partition) {
        Lane lane = current(lanes, partition);
        if (lane == null) {
            return Mono.empty();
        }
        return Mono.justOrEmpty(lane.engine().onIdleCheck()).flatMap(output -> {
            Instant now = clock.instant();
            Mono<Void> announcement = publish(output, lane.rules().number(), now);
            return timed(partition, 0, transactions.transactional(writer.checkOwner(partition, lane.epoch())
                            .then(write(partition, lane.engine(), output, Map.of(), lane.rules().number(), now))
                            .then(writer.advanceWatermark(partition, output.watermark().instant(), now))
                            .then(announcement)))
                    .transform(step -> withinStepTimeout(partition, step))
                    .then(Mono.fromRunnable(() -> failure = null));
        })
                .then(Mono.<BatchOutcome>empty())
                .onErrorResume(PartitionFencedException.class, e -> fenced(lanes, lane, e))
                .onErrorMap(e -> !(e instanceof RejoinRequested), e -> new BatchFailedException(partition, e));
    }

    /**
     * A checkpoint of this lane was refused: another claim raised the partition's epoch, the transaction
     * rolled back, and nothing of the step is pushed. The lane goes; the partition's records that follow
     * are skipped here. If Kafka still assigns the partition to this consumer (no revocation reached it),
     * the consumer leaves the group and joins again, so that the group coordinator, not two instances
     * racing for the row, decides who owns the partition (the new assignment claims it afresh).
     */
    private Mono<BatchOutcome> fenced(Map<Integer, Lane> lanes, Lane lane, PartitionFencedException e) {
        fencedCheckpoints.incrementAndGet();
        boolean stillAssigned = lanes.remove(e.partition(), lane);
        if (stillAssigned) {
            // The consumer restarts and claims all its partitions afresh: its other lanes go now, so that their own
            // refused checkpoints (a replay's switch-over fences every partition at once) end quietly instead of
            // raising a second error after the first one ended the subscription.
            lanes.clear();
        }
        log.warn("partition {}: checkpoint refused and rolled back, owner epoch expected {} but found {} (owner {}); "
                        + "the partition belongs to another claim, its lane is dropped{}", e.partition(), e.expectedEpoch(),
                e.foundEpoch(), e.foundOwner(), stillAssigned ? " and the consumer rejoins the group" : "");
        return stillAssigned ? Mono.error(new RejoinRequested(e)) : Mono.empty();
    }

    /**
     * Marks the partitions a failure concerns as {@code error} in their own statement (the failed
     * transaction rolled back): the failed batch's partition, or every partition of the consumer when
     * the receiver itself failed. Never fails: the pipeline must go on to resubscribe either way.
     */
    private Mono<Void> recordFailure(Set<Integer> consumerPartitions, Throwable e) {
        boolean batch = e instanceof BatchFailedException;
        Set<Integer> affected = batch ? Set.of(((BatchFailedException) e).partition()) : consumerPartitions;
        String reason = reason(batch ? "batch failed: " : "receiver failed: ", batch ? e.getCause() : e);
        failure = reason;
        return writer.markError(affected, instanceId, reason, clock.instant())
                .timeout(FAILURE_RECORD_TIMEOUT)
                .onErrorResume(w -> {
                    log.warn("could not mark partitions {} as failed ({}): {}", affected, reason, w.toString());
                    return Mono.empty();
                });
    }

    /** A short reason for {@code last_error}: the innermost cause names what went wrong (wrappers repeat the SQL). */
    static String reason(String prefix, Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        String text = prefix + cause.getClass().getSimpleName() + message;
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }

    /**
     * Writes what one engine step produced, inside the caller's transaction: the state it changed (the head of
     * every family it changed, the events it retained and the range it pruned), the families' metrics, counter
     * rows and late events, and detection changes.
     */
    private Mono<Void> write(int partition, PartitionEngine engine, EngineOutput output, Map<String, Long> offsetsById,
                             long ruleVersion, Instant now) {
        return states.write(partition, stateChanges(engine, output), now)
                .then(writer.upsertMetrics(partition, output.metrics(), now))
                .then(counters.write(output.counters(), partition, offsetsById, now))
                .then(writer.writeDetections(output.detections(), ruleVersion, now));
    }

    /** The checkpoint form of what the step changed in the partition's state; CPU work, on the calling (lane) thread. */
    private FamilyStateStore.Changes stateChanges(PartitionEngine engine, EngineOutput output) {
        Map<String, byte[]> heads = new HashMap<>(2 * output.changedFamilies().size());
        output.changedFamilies().forEach(id -> heads.put(id, snapshots.encodeHead(engine.head(id))));
        List<FamilyStateStore.RetainedEvent> retained = new ArrayList<>(output.retained().size());
        output.retained().forEach(e -> retained.add(retainedEvent(e)));
        EngineOutput.Pruned pruned = output.pruned();
        long prunedFrom = pruned == null || pruned.from() == null ? Long.MIN_VALUE // open below
                : pruned.from().toEpochMilli();
        long prunedBefore = pruned == null ? FamilyStateStore.Changes.NOTHING_PRUNED : pruned.before().toEpochMilli();
        return new FamilyStateStore.Changes(heads, retained, prunedFrom, prunedBefore);
    }

    /**
     * The step's pushes (SPEC §4 side effects after commit, scale-out fan-out): its changed families and
     * detection changes as clients see them, announced on the relay's channel by a statement that must run
     * inside the step's checkpoint transaction. Listeners, this instance's own relay included, hear it
     * exactly when the transaction commits, and never when it rolls back (fenced, failed), so no local push
     * happens here. Built now, on the lane's thread: encoding a large batch is CPU work.
     */
    private Mono<Void> publish(EngineOutput output, long ruleVersion, Instant now) {
        return relay.announce(new CommittedUpdates(
                output.metrics().stream().map(m -> FamilyMetricsRow.of(m, now)).toList(),
                output.detections().stream().map(d -> DetectionRow.of(d, now, ruleVersion)).toList()));
    }

    /** Not a failure: the consumer must leave and rejoin the group after one of its partitions was fenced. */
    private static final class RejoinRequested extends RuntimeException {
        RejoinRequested(PartitionFencedException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** A batch or idle check of one partition failed (not fenced): only that partition is marked {@code error}. */
    private static final class BatchFailedException extends RuntimeException {
        private final int partition;

        BatchFailedException(int partition, Throwable cause) {
            super("partition " + partition + ": " + cause, cause);
            this.partition = partition;
        }

        int partition() {
            return partition;
        }
    }
}
