package dev.pulse.push.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.projection.DetectionRow;
import dev.pulse.projection.FamilyMetricsRow;
import dev.pulse.push.hub.UpdateHub;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The relay between the checkpoint transaction and the hub, with the database channel played by a sink:
 * what is announced reaches the hub once per hearing, and a lost channel is listened to again with
 * backoff and followed by a resync.
 */
class UpdateRelayTest {

    private static final Instant T = Instant.parse("2026-11-23T09:10:00Z");

    /** A channel: announced payloads reach whoever listens at that moment, as with NOTIFY. */
    private final Sinks.Many<String> channel = Sinks.many().multicast().directBestEffort();
    private final Function<List<String>, Mono<Void>> notifier =
            payloads -> Mono.fromRunnable(() -> payloads.forEach(p -> channel.emitNext(p, Sinks.EmitFailureHandler.FAIL_FAST)));
    private final UpdateHub hub = new UpdateHub();
    private final List<UpdateHub.Update> published = new CopyOnWriteArrayList<>();

    @Test
    void shouldPublishEachAnnouncedUpdateIntoTheHubOnceWhenItIsHeard() {
        Disposable hubFeed = hub.updates().subscribe(published::add);
        UpdateRelay relay = new UpdateRelay(notifier, onListening -> channel.asFlux().doOnSubscribe(s -> onListening.run()),
                hub, Schedulers.immediate(), Duration.ofSeconds(1), Duration.ofSeconds(30));
        Disposable running = relay.run().subscribe();
        try {
            StepVerifier.create(relay.firstListening()).expectComplete().verify(Duration.ofSeconds(5));
            // big enough to travel as several chunks
            List<FamilyMetricsRow> families = IntStream.range(0, 100).mapToObj(i -> metrics("family-" + i, i)).toList();
            DetectionRow detection = detection("d-1", "family-7");

            relay.announce(new CommittedUpdates(families, List.of(detection))).block(Duration.ofSeconds(5));
            relay.announce(new CommittedUpdates(List.of(), List.of())).block(Duration.ofSeconds(5));

            assertThat(published).containsExactly(UpdateHub.Metrics.of(families), UpdateHub.DetectionUpdate.of(detection));
            assertThat(relay.sent()).isEqualTo(1);
            assertThat(relay.received()).isEqualTo(1);
        } finally {
            running.dispose();
            hubFeed.dispose();
        }
    }

    @Test
    void shouldListenAgainWithBackoffAndAskClientsToResyncWhenTheChannelIsLost() {
        AtomicInteger connections = new AtomicInteger();
        Disposable hubFeed = hub.updates().subscribe(published::add);
        try {
            StepVerifier.withVirtualTime(() -> {
                        UpdateRelay relay = new UpdateRelay(notifier, onListening -> Flux.defer(() -> {
                            onListening.run();
                            // the first connection dies after delivering one message
                            return connections.incrementAndGet() == 1
                                    ? channel.asFlux().take(1).concatWith(Flux.error(new IOException("connection reset")))
                                    : channel.asFlux();
                        }), hub, Schedulers.single(), Duration.ofSeconds(1), Duration.ofSeconds(30));
                        return relay.run().mergeWith(Mono.delay(Duration.ofMillis(10))
                                .then(relay.announce(updates("family-a", 10)))
                                // sent while nobody listens: lost, which is what the resync covers
                                .then(relay.announce(updates("family-lost", 20)))
                                .then(Mono.delay(Duration.ofSeconds(5)))
                                .then(relay.announce(updates("family-b", 30)))
                                .then(Mono.empty()));
                    })
                    .expectSubscription()
                    .thenAwait(Duration.ofMillis(10))
                    .then(() -> assertThat(connections).hasValue(1))
                    .thenAwait(Duration.ofMillis(400))
                    .then(() -> assertThat(connections).as("backoff (1 s, ±50% jitter): not yet listening again").hasValue(1))
                    .thenAwait(Duration.ofSeconds(2))
                    .then(() -> assertThat(connections).hasValue(2))
                    .thenAwait(Duration.ofSeconds(5))
                    .thenCancel()
                    .verify(Duration.ofSeconds(10));
        } finally {
            hubFeed.dispose();
        }

        assertThat(published).containsExactly(
                UpdateHub.Metrics.of(List.of(metrics("family-a", 10))),
                new UpdateHub.Resync(),
                UpdateHub.Metrics.of(List.of(metrics("family-b", 30))));
    }

    @Test
    void shouldPublishItsOwnMessagesAsAnnouncedWithoutDecodingThemAndDecodeOthers() {
        Disposable hubFeed = hub.updates().subscribe(published::add);
        UpdateRelay relay = new UpdateRelay(notifier, onListening -> channel.asFlux().doOnSubscribe(s -> onListening.run()),
                hub, Schedulers.immediate(), Duration.ofSeconds(1), Duration.ofSeconds(30));
        Disposable running = relay.run().subscribe();
        try {
            List<FamilyMetricsRow> many = IntStream.range(0, 100).mapToObj(i -> metrics("family-" + i, i)).toList();
            relay.announce(new CommittedUpdates(many, List.of())).block(Duration.ofSeconds(5));   // several chunks
            relay.announce(updates("family-1", 50)).block(Duration.ofSeconds(5));                   // one chunk
            assertThat(relay.decoded()).as("own messages decoded").isZero();
            assertThat(relay.unheard()).isZero();

            // Another instance's message, in the same format: decoded, as every message used to be.
            notifier.apply(NotifyChunks.split("other.1", new UpdateCodec().encode(updates("family-2", 60)), NotifyChunks.MAX_PAYLOAD_BYTES))
                    .block(Duration.ofSeconds(5));

            assertThat(published).containsExactly(UpdateHub.Metrics.of(many), UpdateHub.Metrics.of(List.of(metrics("family-1", 50))),
                    UpdateHub.Metrics.of(List.of(metrics("family-2", 60))));
            assertThat(relay.decoded()).isEqualTo(1);
            assertThat(relay.received()).isEqualTo(3);
        } finally {
            running.dispose();
            hubFeed.dispose();
        }
    }

    @Test
    void shouldKeepFewOwnMessagesThatWereNeverHeard() {
        Disposable hubFeed = hub.updates().subscribe(published::add);
        // Transactions that rolled back: their notifications never reach the channel.
        UpdateRelay relay = new UpdateRelay(payloads -> Mono.empty(), onListening -> channel.asFlux().doOnSubscribe(s -> onListening.run()),
                hub, Schedulers.immediate(), Duration.ofSeconds(1), Duration.ofSeconds(30));
        Disposable running = relay.run().subscribe();
        try {
            for (int i = 0; i < 100; i++) {
                relay.announce(updates("family-" + i, i)).block(Duration.ofSeconds(5));
            }
            assertThat(relay.unheard()).isEqualTo(UpdateRelay.MAX_UNHEARD);
            assertThat(published).isEmpty();
        } finally {
            running.dispose();
            hubFeed.dispose();
        }
    }

    @Test
    void shouldAskClientsToResyncWhenAMessageCannotBeDecoded() {
        Disposable hubFeed = hub.updates().subscribe(published::add);
        UpdateRelay relay = new UpdateRelay(notifier, onListening -> channel.asFlux().doOnSubscribe(s -> onListening.run()),
                hub, Schedulers.immediate(), Duration.ofSeconds(1), Duration.ofSeconds(30));
        Disposable running = relay.run().subscribe();
        try {
            notifier.apply(NotifyChunks.split("other", "{not json", NotifyChunks.MAX_PAYLOAD_BYTES)).block();
            relay.announce(updates("family-1", 50)).block();

            assertThat(published).containsExactly(new UpdateHub.Resync(), UpdateHub.Metrics.of(List.of(metrics("family-1", 50))));
        } finally {
            running.dispose();
            hubFeed.dispose();
        }
    }

    @Test
    void shouldNameOneShortChannelPerConsumerGroupAndTopic() {
        String channelName = UpdateRelay.channelFor("pulse-test-" + "x".repeat(200), "pulse.events");

        assertThat(channelName).matches("[a-z_][a-z0-9_]{0,62}")
                .isEqualTo(UpdateRelay.channelFor("pulse-test-" + "x".repeat(200), "pulse.events"));
        assertThat(UpdateRelay.channelFor("pulse", "pulse.events"))
                .isNotEqualTo(UpdateRelay.channelFor("pulse-2", "pulse.events"))
                .isNotEqualTo(UpdateRelay.channelFor("pulse", "other.events"));
    }

    private static CommittedUpdates updates(String family, int score) {
        return new CommittedUpdates(List.of(metrics(family, score)), List.of());
    }

    private static FamilyMetricsRow metrics(String family, int score) {
        return new FamilyMetricsRow(family, score, "stable", 0, new BigDecimal("61.50"), null, 1, 0, 0,
                score < 30 ? "critical" : "none", null, null, 1, T, T, T, null, null, null);
    }

    private static DetectionRow detection(String id, String family) {
        return new DetectionRow(id, "duplicate_payment", family, "p2", "warning", new BigDecimal("0.95"), List.of(),
                Map.of("count", 2), "active", T, T, null, null, null, null, null);
    }
}
