package dev.pulse.ops;

import dev.pulse.ingest.kafka.LogEndOffsets.LogRange;
import dev.pulse.polling.Polling;
import dev.pulse.projection.CheckpointStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Consumer lag as meters (SPEC §5.6), per partition this instance owns, so that summing over instances gives the
 * group's lag without counting a partition twice:
 * <ul>
 *   <li>{@code pulse.consumer.lag{partition}}: records in the log after the partition's last checkpoint (from the
 *       log's start before its first one), as {@code lag} in {@code GET /api/stream/status};</li>
 *   <li>{@code pulse.consumer.lag.seconds{partition}}: wall clock − event time of the last processed event, at the
 *       last checkpoint ({@code processing_lag_seconds}, SPEC §3.4).</li>
 * </ul>
 * Read every {@code interval} (one query of {@code stream_checkpoints}, one offsets request to the broker), never on
 * a scrape: a gauge must answer at once. A partition another instance claimed leaves this instance's gauges.
 */
public final class ConsumerLag {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLag.class);

    private final Supplier<Flux<CheckpointStatus>> checkpoints;
    private final Supplier<Mono<Map<Integer, LogRange>>> logRanges;
    private final String instanceId;
    private final Scheduler scheduler;
    private final Duration interval;
    private final MultiGauge records;
    private final MultiGauge seconds;
    private final LongSupplier recordsInFlight;
    private final StallWatch stalls = new StallWatch(STALL_AFTER);
    /** Long enough that a slow checkpoint under load (seconds) is not taken for a stall. */
    static final Duration STALL_AFTER = Duration.ofSeconds(30);

    /** @param recordsInFlight the pipeline's records taken and not yet done, named when a partition stalls */
    public ConsumerLag(Supplier<Flux<CheckpointStatus>> checkpoints, Supplier<Mono<Map<Integer, LogRange>>> logRanges,
                       String instanceId, MeterRegistry registry, Scheduler scheduler, Duration interval,
                       LongSupplier recordsInFlight) {
        this.recordsInFlight = Objects.requireNonNull(recordsInFlight, "recordsInFlight");
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.logRanges = Objects.requireNonNull(logRanges, "logRanges");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.records = MultiGauge.builder("pulse.consumer.lag").baseUnit("records")
                .description("records in the log after the last checkpoint, per partition this instance owns")
                .register(registry);
        this.seconds = MultiGauge.builder("pulse.consumer.lag.seconds")
                .description("wall clock minus event time of the last processed event at the last checkpoint, per owned partition")
                .register(registry);
    }

    /**
     * Cold and infinite: reads once at once and then every interval, updating the gauges. A failed read (database
     * or broker away) keeps the previous values and is tried again at the next tick; never errors.
     */
    public Flux<List<CheckpointStatus>> run() {
        return Polling.every(interval, scheduler, this::read, e -> log.debug("consumer lag not read this time: {}", e.toString()));
    }

    private Mono<List<CheckpointStatus>> read() {
        Mono<Map<Integer, LogRange>> ranges = logRanges.get().onErrorResume(e -> Mono.just(Map.of())).defaultIfEmpty(Map.of());
        return Mono.zip(checkpoints.get().filter(p -> instanceId.equals(p.ownerInstance())).collectList(), ranges)
                .map(both -> {
                    update(both.getT1(), both.getT2());
                    return both.getT1();
                });
    }

    private void update(List<CheckpointStatus> owned, Map<Integer, LogRange> ranges) {
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        List<MultiGauge.Row<?>> secondRows = new ArrayList<>();
        for (CheckpointStatus partition : owned) {
            Tags tags = Tags.of("partition", Integer.toString(partition.partition()));
            LogRange range = ranges.get(partition.partition());
            if (range != null) {
                long from = partition.lastOffset() == null ? range.earliest() : partition.lastOffset() + 1;
                long lag = Math.max(0, range.next() - from);
                lagRows.add(MultiGauge.Row.of(tags, lag));
                long stalled = stalls.observe(partition.partition(), partition.lastOffset(), lag,
                        scheduler.now(TimeUnit.NANOSECONDS));
                if (stalled >= 0) {
                    log.warn("partition {}: no checkpoint for {} s while {} records wait after offset {}; {} records in flight "
                                    + "in the pipeline", partition.partition(), stalled / 1_000_000_000L, lag,
                            partition.lastOffset(), recordsInFlight.getAsLong());
                }
            }
            if (partition.processingLagSeconds() != null) {
                secondRows.add(MultiGauge.Row.of(tags, partition.processingLagSeconds()));
            }
        }
        stalls.retain(owned.stream().map(CheckpointStatus::partition).collect(Collectors.toSet()));
        if (!ranges.isEmpty()) {
            // without an answer from the broker the record counts are unknown: the last ones stay
            records.register(lagRows, true);
        }
        seconds.register(secondRows, true);
    }
}
