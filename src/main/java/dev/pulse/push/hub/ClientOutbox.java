package dev.pulse.push.hub;

import dev.pulse.projection.DetectionRow;
import dev.pulse.projection.FamilyMetricsRow;
import dev.pulse.trending.Trending;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

/**
 * One client's bounded outbox (CONVENTIONS §3.4, SPEC §4 backpressure). The hub offers every update
 * without waiting; the client takes {@link #messages()} at its own pace. Metrics are conflated per family
 * (the latest row of each family waits) and leave at most once per {@code metricsInterval}; detection
 * changes wait in order and are never dropped while the client keeps up; when more than
 * {@code maxDetections} detection changes or {@code maxFamilies} families wait, everything waiting is
 * discarded and the client is told to resynchronise ({@link ResyncDue}), which costs one snapshot and
 * never grows memory. Thread-safe: offers come from the hub, timers and the socket's reader.
 */
public final class ClientOutbox {

    /** What the client is sent next. */
    public sealed interface Message {
    }

    /** The changed families since the previous metrics message, latest row of each. */
    public record MetricsMessage(List<Shared<FamilyMetricsRow>> families) implements Message {
        public List<FamilyMetricsRow> rows() {
            return families.stream().map(Shared::value).toList();
        }
    }

    public record DetectionMessage(Shared<DetectionRow> detection) implements Message {
    }

    public record StatusMessage(Object status) implements Message {
    }

    /** The latest closed trending window; only the latest is worth sending. */
    public record TrendingMessage(Shared<Trending> trending) implements Message {
    }

    /** Something the client sent was refused; {@code error} names the problem, {@code detail} explains it. */
    public record ErrorMessage(String error, String detail) implements Message {
    }

    /** A fresh snapshot under the current subscription is due (the client changed its subscription). */
    public record SnapshotDue(Subscription subscription) implements Message {
    }

    /** The client fell behind or updates were missed upstream: {@code resync}, then a fresh snapshot. */
    public record ResyncDue(Subscription subscription) implements Message {
    }

    /** Limits of one outbox; see the class comment. */
    public record Limits(Duration metricsInterval, int maxDetections, int maxFamilies, int maxErrors) {
        public Limits {
            Objects.requireNonNull(metricsInterval, "metricsInterval");
            if (maxDetections < 1 || maxFamilies < 1 || maxErrors < 1) {
                throw new IllegalArgumentException("outbox limits must be >= 1, were " + maxDetections + ", "
                        + maxFamilies + ", " + maxErrors);
            }
        }
    }

    private final Limits limits;
    private final Scheduler scheduler;
    private final long intervalMs;

    // Guarded by this.
    private Subscription subscription = Subscription.ALL;
    private final LinkedHashMap<String, Shared<FamilyMetricsRow>> metrics = new LinkedHashMap<>();
    private final ArrayDeque<Shared<DetectionRow>> detections = new ArrayDeque<>();
    private final ArrayDeque<ErrorMessage> errors = new ArrayDeque<>();
    private Object status;
    private Shared<Trending> trending;
    private boolean resync;
    private boolean snapshot;
    private long nextMetricsAtMs = Long.MIN_VALUE;
    private Disposable timer;
    private FluxSink<Boolean> wake;
    private long resyncs;

    public ClientOutbox(Limits limits, Scheduler scheduler) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.intervalMs = Math.max(1, limits.metricsInterval().toMillis());
    }

    /** Takes one hub update; never blocks, never fails. */
    public void offer(UpdateHub.Update update) {
        synchronized (this) {
            if (update instanceof UpdateHub.Metrics m) {
                for (Shared<FamilyMetricsRow> row : m.families()) {
                    if (subscription.admits(row.value())) {
                        metrics.put(row.value().familyId(), row);
                    }
                }
                if (metrics.size() > limits.maxFamilies()) {
                    fallBehind();
                }
            } else if (update instanceof UpdateHub.DetectionUpdate d) {
                if (subscription.admits(d.detection().value())) {
                    if (detections.size() >= limits.maxDetections()) {
                        fallBehind();
                    } else {
                        detections.add(d.detection());
                    }
                }
            } else if (update instanceof UpdateHub.TrendingUpdate t) {
                trending = t.trending();
            } else {
                fallBehind();
            }
        }
        wake();
    }

    /** Replaces the pending status; only the latest one is worth sending. */
    public void offerStatus(Object latest) {
        synchronized (this) {
            status = latest;
        }
        wake();
    }

    /** Queues an error frame; past {@code maxErrors} waiting, further ones are dropped (the client is flooding). */
    public void offerError(String error, String detail) {
        synchronized (this) {
            if (errors.size() < limits.maxErrors()) {
                errors.add(new ErrorMessage(error, detail));
            }
        }
        wake();
    }

    /**
     * Applies a new subscription from now on: waiting updates are discarded and a snapshot under the new
     * subscription is due, so the client's picture matches its filter at once.
     */
    public void subscribe(Subscription next) {
        synchronized (this) {
            subscription = Objects.requireNonNull(next, "subscription");
            metrics.clear();
            detections.clear();
            snapshot = true;
        }
        wake();
    }

    public synchronized Subscription subscription() {
        return subscription;
    }

    /** How often this client was told to resynchronise because it fell behind or updates were missed. */
    public synchronized long resyncs() {
        return resyncs;
    }

    /**
     * Cold, for one subscriber: what the client is to be sent, drained only as fast as it requests, on the
     * outbox's scheduler. Never completes on its own; cancelling stops its timer.
     */
    public Flux<Message> messages() {
        return Flux.<Boolean>create(sink -> {
                    synchronized (this) {
                        wake = sink;
                    }
                    sink.onDispose(this::stopTimer);
                    sink.next(Boolean.TRUE);
                }, FluxSink.OverflowStrategy.LATEST)
                // Offers arrive on the hub's one publishing thread; draining (and whatever the subscriber
                // does with the messages: encoding, writing) happens on this client's own worker instead, so
                // one hundred clients cost the publisher one hundred map insertions and nothing more.
                .publishOn(scheduler, 1)
                // Prefetch 0: the outbox is drained only once the previous drain has been taken, so what
                // waits for a slow client waits here, where the bounds apply.
                .concatMap(w -> Flux.fromIterable(drain()), 0);
    }

    private void fallBehind() {
        metrics.clear();
        detections.clear();
        if (!resync) {
            resyncs++;
        }
        resync = true;
    }

    private List<Message> drain() {
        List<Message> out = new ArrayList<>();
        synchronized (this) {
            if (resync) {
                resync = false;
                snapshot = false;
                out.add(new ResyncDue(subscription));
            } else if (snapshot) {
                snapshot = false;
                out.add(new SnapshotDue(subscription));
            }
            while (!errors.isEmpty()) {
                out.add(errors.poll());
            }
            while (!detections.isEmpty()) {
                out.add(new DetectionMessage(detections.poll()));
            }
            if (status != null) {
                out.add(new StatusMessage(status));
                status = null;
            }
            if (trending != null) {
                out.add(new TrendingMessage(trending));
                trending = null;
            }
            if (!metrics.isEmpty()) {
                long now = scheduler.now(TimeUnit.MILLISECONDS);
                if (now >= nextMetricsAtMs) {
                    out.add(new MetricsMessage(List.copyOf(metrics.values())));
                    metrics.clear();
                    nextMetricsAtMs = now + intervalMs;
                } else if (timer == null) {
                    timer = scheduler.schedule(() -> {
                        synchronized (this) {
                            timer = null;
                        }
                        wake();
                    }, nextMetricsAtMs - now, TimeUnit.MILLISECONDS);
                }
            }
        }
        return out;
    }

    private void wake() {
        FluxSink<Boolean> sink;
        synchronized (this) {
            sink = wake;
        }
        if (sink != null) {
            sink.next(Boolean.TRUE);
        }
    }

    private synchronized void stopTimer() {
        if (timer != null) {
            timer.dispose();
            timer = null;
        }
    }

    /** For logs. */
    @Override
    public synchronized String toString() {
        return "ClientOutbox[metrics=" + metrics.size() + ", detections=" + detections.size() + ", resyncs=" + resyncs + "]";
    }
}
