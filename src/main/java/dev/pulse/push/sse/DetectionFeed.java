package dev.pulse.push.sse;

import dev.pulse.projection.DetectionEvents;
import dev.pulse.push.hub.UpdateHub;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Committed detection changes by sequence number, for SSE (SPEC §5.2). The numbered log in PostgreSQL is
 * each client's outbox: a client reads it from its own cursor, one page at a time and only as fast as it
 * takes them, so a slow client holds at most one page and never misses a change, and nothing here depends
 * on the fan-out channel being complete. The hub (and a poll, for what the channel may have lost) only says
 * when to look again; one query per instance finds the latest number, and only clients behind it read.
 */
public final class DetectionFeed {

    private static final Logger log = LoggerFactory.getLogger(DetectionFeed.class);

    private final BiFunction<Long, Integer, Mono<List<DetectionEvents.Change>>> after;
    private final Supplier<Mono<Long>> latest;
    private final Supplier<Mono<Long>> prunedThrough;
    private final int page;
    private final Flux<Long> latestNumbers;

    /**
     * @param after  the first {@code limit} changes numbered above a number, in order (collected)
     * @param latest the highest committed number
     * @param prunedThrough the highest number deleted past the log's retention (0: none)
     * @param poll   how often to look without being woken
     */
    public DetectionFeed(BiFunction<Long, Integer, Mono<List<DetectionEvents.Change>>> after, Supplier<Mono<Long>> latest,
                         Supplier<Mono<Long>> prunedThrough, UpdateHub hub, Scheduler scheduler, Duration poll, int page) {
        this.after = Objects.requireNonNull(after, "after");
        this.latest = Objects.requireNonNull(latest, "latest");
        this.prunedThrough = Objects.requireNonNull(prunedThrough, "prunedThrough");
        this.page = page;
        Flux<Object> wakeups = Flux.merge(
                hub.updates().filter(u -> u instanceof UpdateHub.DetectionUpdate || u instanceof UpdateHub.Resync),
                Flux.interval(Duration.ZERO, poll, scheduler));
        this.latestNumbers = wakeups
                .onBackpressureLatest()
                .concatMap(w -> latest.get().onErrorResume(e -> {
                    log.debug("latest detection number not read: {}", e.toString());
                    return Mono.empty();
                }), 0)
                .distinctUntilChanged()
                .replay(1)
                .refCount();
    }

    /** The highest committed number now: where a client without {@code Last-Event-ID} starts. */
    public Mono<Long> latest() {
        return latest.get();
    }

    /**
     * Where a client that last saw {@code lastSeen} resumes: after it, or after the last deleted change when the log no
     * longer holds what followed it (then the client missed changes, and is told so).
     */
    public Mono<Long> resumeAfter(long lastSeen) {
        return prunedThrough.get().map(pruned -> Math.max(lastSeen, pruned));
    }

    /**
     * Cold and infinite: every committed change numbered above {@code seq}, in number order, then each new
     * one as it commits; none twice. Errors when a read fails (the client reconnects with its last id).
     */
    public Flux<DetectionEvents.Change> changesAfter(long seq) {
        return Flux.defer(() -> {
            AtomicLong cursor = new AtomicLong(seq);
            return latestNumbers.startWith(Long.MAX_VALUE)   // catch up at once, whatever the feed knows yet
                    .onBackpressureLatest()
                    .filter(number -> number > cursor.get())
                    .concatMap(number -> catchUp(cursor), 0);
        });
    }

    private Flux<DetectionEvents.Change> catchUp(AtomicLong cursor) {
        return Mono.defer(() -> after.apply(cursor.get(), page))
                // The cursor moves when a page is read, not when it is sent: the next read must start after it.
                .doOnNext(changes -> {
                    if (!changes.isEmpty()) {
                        cursor.set(changes.get(changes.size() - 1).seq());
                    }
                })
                .repeat()
                .takeUntil(changes -> changes.size() < page)
                .concatMapIterable(changes -> changes);
    }
}
