package dev.pulse.projection;

import dev.pulse.polling.Polling;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Keeps {@code detection_events}, the numbered log SSE clients resume from, to {@code pulse.live.sse-retention}: every
 * {@code interval} it deletes the changes committed longer ago than that, a batch at a time, so that one delete never
 * holds many rows locked. A client resuming from before what was deleted is told so ({@code event: resync}). Every
 * instance runs it; two deleting the same rows leave the same table.
 */
public final class DetectionLogRetention {

    private static final Logger log = LoggerFactory.getLogger(DetectionLogRetention.class);
    static final int BATCH = 10_000;

    private final DetectionEvents events;
    private final Duration retention;
    private final Duration interval;
    private final InstantSource clock;
    private final Scheduler scheduler;

    public DetectionLogRetention(DetectionEvents events, Duration retention, Duration interval, InstantSource clock,
                                 Scheduler scheduler) {
        this.events = Objects.requireNonNull(events, "events");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** Cold and infinite: prunes at once and then every interval; a failed round is logged and tried at the next. */
    public Flux<Long> run() {
        return Polling.every(interval, scheduler, this::pruneAll, e -> log.warn("detection_events not pruned: {}", e.toString()));
    }

    /** Deletes every change committed before now − retention; answers how many went. */
    public Mono<Long> pruneAll() {
        return Mono.defer(() -> {
            Instant cutoff = clock.instant().minus(retention);
            return events.pruneOldest(cutoff, BATCH)
                    .expand(deleted -> deleted == BATCH ? events.pruneOldest(cutoff, BATCH) : Mono.empty())
                    .reduce(0L, Long::sum)
                    .doOnNext(deleted -> {
                        if (deleted > 0) {
                            log.info("pruned {} detection changes committed before {} from detection_events", deleted, cutoff);
                        }
                    });
        });
    }
}
