package dev.pulse.push.hub;

import dev.pulse.projection.CheckpointStatus;
import dev.pulse.projection.FamilyMetricsRow;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The {@code status} message of SPEC §5.3, once per interval, shared by every client of this instance (one
 * read of the checkpoints and one of the broker's end offsets per interval, however many clients).
 */
public final class StatusFeed {

    private static final Logger log = LoggerFactory.getLogger(StatusFeed.class);
    /** Samples kept per interval; beyond, later ones are ignored (the figures are then of the first ones). */
    private static final int MAX_SAMPLES = 100_000;

    /**
     * What dashboards are shown; README "WebSocket" says what each figure means.
     *
     * @param eventsPerSecond records consumed per second, summed over partitions (each over its owner's last 10 s)
     * @param lag             records in the log not yet checkpointed, summed over partitions; null when the
     *                        broker did not answer
     * @param lagSeconds      the largest {@code processing_lag_seconds}: wall clock − event time of a partition's
     *                        last processed event, at its checkpoint
     * @param latencyMsP50    event time → push on this instance, median over the families pushed in the interval;
     *                        null when nothing was pushed
     * @param latencyMsP99    the same, 99th percentile
     * @param processed       events processed, all partitions, since the group began
     */
    public record LiveStatus(double eventsPerSecond, Long lag, Double lagSeconds, Long latencyMsP50, Long latencyMsP99,
                             long processed, Instant at) {
    }

    private final Supplier<Mono<List<CheckpointStatus>>> checkpoints;
    private final Supplier<Mono<Map<Integer, Long>>> endOffsets;
    private final UpdateHub hub;
    private final InstantSource clock;
    private final Scheduler scheduler;
    private final Duration interval;
    private final Flux<LiveStatus> shared;
    private long[] samples = new long[1024];
    private int sampleCount;

    /**
     * @param endOffsets each partition's next offset at the broker; may error or be empty (lag is then null)
     */
    public StatusFeed(Supplier<Mono<List<CheckpointStatus>>> checkpoints, Supplier<Mono<Map<Integer, Long>>> endOffsets,
                      UpdateHub hub, InstantSource clock, Scheduler scheduler, Duration interval) {
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.endOffsets = Objects.requireNonNull(endOffsets, "endOffsets");
        this.hub = Objects.requireNonNull(hub, "hub");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.shared = Flux.defer(this::run).replay(1).refCount();
    }

    /**
     * Hot while anyone subscribes: the latest status at once (when there is one), then one per interval.
     * Never completes; a failed read skips that interval.
     */
    public Flux<LiveStatus> statuses() {
        return shared;
    }

    private Flux<LiveStatus> run() {
        Disposable sampling = hub.updates().subscribe(this::sample);
        return Flux.interval(Duration.ZERO, interval, scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> read().onErrorResume(e -> {
                    log.debug("status not read this interval: {}", e.toString());
                    return Mono.empty();
                }), 0)
                .doFinally(signal -> sampling.dispose());
    }

    private Mono<LiveStatus> read() {
        Mono<Map<Integer, Long>> ends = endOffsets.get().onErrorResume(e -> Mono.empty()).defaultIfEmpty(Map.of());
        return Mono.zip(checkpoints.get(), ends).map(both -> {
            long[] latencies = takeSamples();
            return of(both.getT1(), both.getT2(), latencies, clock.instant());
        });
    }

    static LiveStatus of(List<CheckpointStatus> rows, Map<Integer, Long> ends, long[] latencies, Instant now) {
        double rate = 0;
        Double lagSeconds = null;
        long processed = 0;
        Long lag = ends.isEmpty() ? null : 0L;
        for (CheckpointStatus row : rows) {
            // A rate older than its window describes a partition nobody is consuming now.
            if (row.eventsPerSecond() != null && row.updatedDate() != null
                    && Duration.between(row.updatedDate(), now).compareTo(CheckpointStatus.RATE_WINDOW) <= 0) {
                rate += row.eventsPerSecond();
            }
            if (row.processingLagSeconds() != null) {
                lagSeconds = lagSeconds == null ? row.processingLagSeconds() : Math.max(lagSeconds, row.processingLagSeconds());
            }
            processed += row.eventsProcessedTotal();
        }
        if (lag != null) {
            for (Map.Entry<Integer, Long> end : ends.entrySet()) {
                Long last = rows.stream().filter(r -> r.partition() == end.getKey()).map(CheckpointStatus::lastOffset)
                        .filter(Objects::nonNull).findFirst().orElse(null);
                lag += Math.max(0, end.getValue() - (last == null ? 0 : last + 1));
            }
        }
        Arrays.sort(latencies);
        return new LiveStatus(rate, lag, lagSeconds, percentile(latencies, 0.50), percentile(latencies, 0.99), processed, now);
    }

    private static Long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return null;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private void sample(UpdateHub.Update update) {
        if (!(update instanceof UpdateHub.Metrics metrics)) {
            return;
        }
        long now = clock.millis();
        synchronized (this) {
            for (Shared<FamilyMetricsRow> shared : metrics.families()) {
                FamilyMetricsRow row = shared.value();
                if (row.lastEventTimestamp() == null || sampleCount >= MAX_SAMPLES) {
                    continue;
                }
                if (sampleCount == samples.length) {
                    samples = Arrays.copyOf(samples, samples.length * 2);
                }
                samples[sampleCount++] = Math.max(0, now - row.lastEventTimestamp().toEpochMilli());
            }
        }
    }

    private synchronized long[] takeSamples() {
        long[] taken = Arrays.copyOf(samples, sampleCount);
        sampleCount = 0;
        return taken;
    }
}
