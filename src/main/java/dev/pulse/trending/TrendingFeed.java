package dev.pulse.trending;

import dev.pulse.polling.Polling;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Trending as windows close (SPEC §3.5): every {@code poll} it reads the stream's watermark (the lowest of the
 * partitions', so a window is closed only when every partition is past it) and, when that closed a later window
 * than the last one published, reads that window's trending and publishes it. Only the latest closed window is
 * read: a backfill that closes hundreds of windows a second costs one read per poll, not one per window.
 * Every instance runs its own feed over the same projections, so each publishes the same figures.
 */
public final class TrendingFeed {

    private static final Logger log = LoggerFactory.getLogger(TrendingFeed.class);

    private final TrendingWindow window;
    private final Supplier<Mono<Instant>> watermark;
    private final Function<TrendingWindow.Span, Mono<Trending>> read;
    private final Consumer<Trending> publish;
    private final Scheduler scheduler;
    private final Duration poll;
    private final AtomicReference<Trending> latest = new AtomicReference<>();

    /**
     * @param watermark the stream's watermark; empty while no partition has one
     * @param read      trending of one window, from the projections
     * @param publish   where a newly closed window's trending goes (the hub)
     */
    public TrendingFeed(TrendingWindow window, Supplier<Mono<Instant>> watermark, Function<TrendingWindow.Span, Mono<Trending>> read,
                        Consumer<Trending> publish, Scheduler scheduler, Duration poll) {
        this.window = Objects.requireNonNull(window, "window");
        this.watermark = Objects.requireNonNull(watermark, "watermark");
        this.read = Objects.requireNonNull(read, "read");
        this.publish = Objects.requireNonNull(publish, "publish");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.poll = Objects.requireNonNull(poll, "poll");
    }

    /** Cold and infinite: polls and publishes until cancelled; a failed read is logged and tried at the next poll. */
    public Flux<Trending> run() {
        return Polling.every(poll, scheduler, this::next, e -> log.debug("trending not read: {}", e.toString()))
                .doOnNext(t -> {
                    latest.set(t);
                    publish.accept(t);
                });
    }

    /** The latest closed window's trending: the one last published, or read now when none was yet. */
    public Mono<Trending> latest() {
        return Mono.defer(() -> {
            Trending known = latest.get();
            return known != null ? Mono.just(known) : watermark.get().map(window::latestClosed).flatMap(read);
        });
    }

    private Mono<Trending> next() {
        return watermark.get()
                .map(window::latestClosed)
                .filter(span -> {
                    Trending known = latest.get();
                    return known == null || span.end().isAfter(known.windowEnd());
                })
                .flatMap(read);
    }
}
