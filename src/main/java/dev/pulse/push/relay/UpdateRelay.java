package dev.pulse.push.relay;

import dev.pulse.push.hub.UpdateHub;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Cross-instance fan-out (SPEC §4 scale-out). Every checkpoint transaction announces what it committed
 * on a database channel ({@link #announce}, inside the transaction); every instance, the committing one
 * included, listens ({@link #run}) and publishes what it hears into its own {@link UpdateHub}. So each
 * update enters each hub exactly once and by one path, after its commit, in commit order (which keeps
 * a family's updates in order even when its partition moves between instances).
 */
public final class UpdateRelay {

    private static final Logger log = LoggerFactory.getLogger(UpdateRelay.class);
    /** A transaction's chunks arrive together, so more than a few unfinished messages means lost chunks. */
    private static final int MAX_UNFINISHED = 16;
    /** Own messages kept until heard; more than a few lanes' worth means transactions that rolled back. */
    static final int MAX_UNHEARD = 16;

    private final Function<List<String>, Mono<Void>> notifier;
    private final Function<Runnable, Flux<String>> listener;
    private final UpdateHub hub;
    private final Scheduler scheduler;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final UpdateCodec codec = new UpdateCodec();
    private final String senderId;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicBoolean listenedBefore = new AtomicBoolean();
    private final Sinks.Empty<Void> firstListening = Sinks.empty();
    private final AtomicLong decoded = new AtomicLong();
    /**
     * What this instance announced and has not heard yet, by message id. Its own messages are published from here when
     * heard instead of being put together and decoded again (the same updates: that was most of the relay's work),
     * still at the moment they are heard, so order and the after-commit rule are those of every other message. A
     * rolled-back transaction is never heard: its entry goes once {@link #MAX_UNHEARD} newer ones are kept.
     */
    private final Map<String, CommittedUpdates> unheard = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CommittedUpdates> eldest) {
            return size() > MAX_UNHEARD;
        }
    });

    /**
     * @param notifier  queues payloads on the channel inside the caller's transaction
     * @param listener  given a callback for "LISTEN took effect", answers the channel's payloads; errors
     *                  when the connection is lost (see {@code NotificationChannel#listen})
     * @param scheduler one thread: payloads are reassembled and published in arrival order on it
     */
    public UpdateRelay(Function<List<String>, Mono<Void>> notifier, Function<Runnable, Flux<String>> listener,
                       UpdateHub hub, Scheduler scheduler, Duration minBackoff, Duration maxBackoff) {
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.hub = Objects.requireNonNull(hub, "hub");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.minBackoff = Objects.requireNonNull(minBackoff, "minBackoff");
        this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        this.senderId = HexFormat.of().formatHex(random);
    }

    /**
     * Queues the updates on the channel; to be run inside the checkpoint transaction that commits them, so
     * that listeners hear them exactly on commit and never after a rollback. Encodes at call time, on the
     * caller's thread (CPU work that should not land on a database event loop). Cold; empty updates send nothing.
     */
    public Mono<Void> announce(CommittedUpdates updates) {
        if (updates.isEmpty()) {
            return Mono.empty();
        }
        String messageId = senderId + "." + Long.toHexString(sent.incrementAndGet());
        List<String> payloads = NotifyChunks.split(messageId, codec.encode(updates), NotifyChunks.MAX_PAYLOAD_BYTES);
        unheard.put(messageId, updates);
        return notifier.apply(payloads);
    }

    /**
     * Cold and infinite: listens until cancelled. When the connection fails, it listens again on a fresh
     * one with backoff ({@code minBackoff} doubling to {@code maxBackoff}); what was committed in between
     * never reaches this instance, so on every listen after the first the hub gets a
     * {@link UpdateHub.Resync}, telling clients to reload their snapshot.
     */
    public Flux<Void> run() {
        return Flux.defer(() -> {
                    Hearing hearing = new Hearing();
                    return listener.apply(this::listening)
                            .publishOn(scheduler)
                            .doOnNext(hearing::accept)
                            .thenMany(Flux.<Void>error(new IllegalStateException("the notification stream completed")));
                })
                .doOnError(e -> log.warn("update relay lost its channel, listening again with backoff: {}", e.toString()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, minBackoff).maxBackoff(maxBackoff).scheduler(scheduler)
                        .transientErrors(true));
    }

    /**
     * The channel of one deployment: instances of one consumer group on one topic share it, and another
     * deployment on the same database (another group) never hears them. Hashed, because a channel name is
     * an identifier of at most 63 bytes while group ids may be long; the same inputs always give the same name.
     */
    public static String channelFor(String consumerGroup, String topic) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((consumerGroup + "\n" + topic).getBytes(StandardCharsets.UTF_8));
            return "pulse_updates_" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Completes when the channel is first listened to; the pipeline should not commit anything before that. */
    public Mono<Void> firstListening() {
        return firstListening.asMono();
    }

    /** Messages this instance announced. */
    public long sent() {
        return sent.get();
    }

    /** Messages heard and published into the hub (this instance's own included). */
    public long received() {
        return received.get();
    }

    /** Times the channel was listened to again after a loss. */
    public long reconnects() {
        return reconnects.get();
    }

    private void listening() {
        if (listenedBefore.getAndSet(true)) {
            reconnects.incrementAndGet();
            log.info("update relay listening again; clients resynchronise");
            hub.publishResync();
        } else {
            log.info("update relay listening");
            firstListening.tryEmitEmpty();
        }
    }

    /** Messages decoded from the channel: other instances', and this one's own when it no longer held them. */
    long decoded() {
        return decoded.get();
    }

    /** Own messages announced and not heard yet (at most {@link #MAX_UNHEARD}). */
    int unheard() {
        return unheard.size();
    }

    /**
     * One listening connection's reading of the channel, on the relay's one thread. PostgreSQL delivers a transaction's
     * notifications together and in order, so an own message's chunks come one after the other: its first chunk takes
     * the kept updates, its last publishes them, and the text in between is not read.
     */
    private final class Hearing {

        private final NotifyChunks.Reassembly reassembly = new NotifyChunks.Reassembly(MAX_UNFINISHED);
        private final String ownPrefix = senderId + ".";
        private String ownId;
        private CommittedUpdates own;

        void accept(String payload) {
            NotifyChunks.Header header = payload.startsWith(ownPrefix) ? NotifyChunks.Header.of(payload) : null;
            if (header != null) {
                if (header.index() == 0) {
                    own = unheard.remove(header.messageId());
                    ownId = own == null ? null : header.messageId();
                }
                if (header.messageId().equals(ownId)) {
                    if (header.isLast()) {
                        CommittedUpdates updates = own;
                        own = null;
                        ownId = null;
                        publish(updates);
                    }
                    return;
                }
            }
            reassembly.accept(payload).ifPresent(UpdateRelay.this::deliver);
        }
    }

    private void deliver(String message) {
        CommittedUpdates updates;
        try {
            decoded.incrementAndGet();
            updates = codec.decode(message);
        } catch (RuntimeException e) {
            // Contained to this one message; the clients' picture may now be stale, so they reload it.
            log.warn("update relay could not decode a message of {} characters: {}", message.length(), e.toString());
            hub.publishResync();
            return;
        }
        publish(updates);
    }

    private void publish(CommittedUpdates updates) {
        received.incrementAndGet();
        hub.publishMetrics(updates.metrics());
        hub.publishDetections(updates.detections());
    }
}
