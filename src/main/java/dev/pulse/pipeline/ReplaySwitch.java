package dev.pulse.pipeline;

import dev.pulse.polling.Polling;
import dev.pulse.projection.ReplaySwitchover;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Drives a rebuild (SPEC §4.1) in the replay process: keeps the replay pipeline's {@link OffsetCeiling} at the
 * live checkpoints' offsets, so it never runs ahead of them, and once the replay is within {@code maxGap}
 * records of them, switches over ({@link ReplaySwitchover#switchOver}): locks the live rows, lets the replay
 * finish exactly at their offsets, swaps the tables and fences the live owners. A switch that fails (the
 * replay did not reach the offsets in time, a database error) rolls back entirely and is tried again later.
 */
public final class ReplaySwitch implements OffsetCeiling {

    private static final Logger log = LoggerFactory.getLogger(ReplaySwitch.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

    private final ReplaySwitchover switchover;
    private final Duration poll;
    private final long maxGap;
    private final Duration catchUp;
    private final InstantSource clock;
    private final Scheduler scheduler;
    private final String owner;
    /** The live offsets the replay may reach; partitions absent here may not be processed at all. */
    private volatile Map<Integer, Long> ceiling = Map.of();
    /** When progress was last logged (System.nanoTime); a long replay logs every 10 s, not every poll. */
    private volatile long loggedAt = System.nanoTime() - PROGRESS_LOG_NANOS;
    private static final long PROGRESS_LOG_NANOS = Duration.ofSeconds(10).toNanos();

    public ReplaySwitch(ReplaySwitchover switchover, Duration poll, long maxGap, Duration catchUp, InstantSource clock,
                        Scheduler scheduler, String owner) {
        this.switchover = Objects.requireNonNull(switchover, "switchover");
        this.poll = Objects.requireNonNull(poll, "poll");
        this.maxGap = maxGap;
        this.catchUp = Objects.requireNonNull(catchUp, "catchUp");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    @Override
    public long highest(int partition) {
        Long offset = ceiling.get(partition);
        return offset == null ? -1 : offset;
    }

    /**
     * Cold: follows the live offsets every {@code poll} and switches over once caught up; completes with the
     * offsets it switched at (then the replay is over: its pipeline never passes them). Database errors of a
     * step are logged and the next step tries again.
     */
    public Mono<Map<Integer, Long>> run() {
        return Polling.every(poll, scheduler, this::step,
                        e -> log.warn("replay: switch-over not done this time, trying again: {}", e.toString()))
                .next();
    }

    /** One look at both sides; answers the switched offsets when it switched, empty otherwise. */
    private Mono<Map<Integer, Long>> step() {
        return Mono.zip(switchover.liveOffsets(), switchover.replayOffsets()).flatMap(both -> {
            Map<Integer, Long> live = both.getT1();
            Map<Integer, Long> replay = both.getT2();
            ceiling = live;
            long gap = 0;
            for (var e : live.entrySet()) {
                Long at = replay.get(e.getKey());
                if (at == null) {
                    return Mono.empty(); // the replay has not claimed every partition yet
                }
                gap += Math.max(0, e.getValue() - at);
            }
            boolean switching = gap <= maxGap;
            if (switching || System.nanoTime() - loggedAt >= PROGRESS_LOG_NANOS) {
                loggedAt = System.nanoTime();
                log.info("replay: {} records behind the live checkpoints (live {}, replay {})", gap, live, replay);
            }
            if (!switching) {
                return Mono.empty();
            }
            String backup = "pulse_before_replay_" + STAMP.format(clock.instant());
            return switchover.switchOver(locked -> Mono.fromRunnable(() -> {
                        // From here until the switch ends, the live offsets cannot move: this is exactly where to stop.
                        ceiling = locked;
                        log.info("replay: live checkpoints locked at {}; finishing up to exactly there", locked);
                    }), catchUp, backup, owner, clock.instant(), scheduler)
                    .doOnNext(at -> log.info("replay: switched over at offsets {}; the replaced tables are kept in schema {}",
                            at, backup));
        });
    }
}
