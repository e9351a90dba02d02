package dev.pulse.push.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.projection.DetectionRow;
import dev.pulse.projection.FamilyMetricsRow;
import dev.pulse.push.hub.UpdateHub;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** The frames of one dashboard client (SPEC §5.3): snapshot first, then updates, with no gap between them. */
class DashboardSocketTest {

    private final JsonMapper json = JsonMapper.builder()
            .propertyNamingStrategy(tools.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
            .build();

    @Test
    void shouldSendSnapshotFirstAndKeepUpdatesCommittedWhileTheSnapshotWasRead() {
        UpdateHub hub = new UpdateHub();
        StepVerifier.withVirtualTime(() -> {
                    // The snapshot query takes 1 s; an update is committed half-way through it.
                    Mono<List<FamilyMetricsRow>> slowSnapshot = Mono.delay(Duration.ofSeconds(1)).thenReturn(List.of(row("family-1", 80)));
                    return new DashboardSocket(hub, () -> slowSnapshot, json).frames("client-1");
                })
                .expectSubscription()
                .thenAwait(Duration.ofMillis(500))
                .then(() -> hub.publishMetrics(List.of(row("family-2", 25))))
                .expectNoEvent(Duration.ofMillis(500))
                .assertNext(frame -> assertThat(frame).contains("\"type\":\"snapshot\"").contains("family-1"))
                .assertNext(frame -> assertThat(frame).contains("\"type\":\"metrics\"").contains("\"family_id\":\"family-2\"")
                        .contains("\"current_engagement_score\":25"))
                .then(() -> hub.publishMetrics(List.of(row("family-1", 79))))
                .thenAwait(Duration.ofMillis(100))   // at most one metrics message per 100 ms (pulse.live.metrics-interval)
                .assertNext(frame -> assertThat(frame).contains("\"type\":\"metrics\"").contains("\"current_engagement_score\":79"))
                .expectNoEvent(Duration.ofSeconds(5))   // nothing committed: nothing sent
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void shouldSendResyncAndAFreshSnapshotWhenAClientThatDoesNotReadFallsTooFarBehind() {
        UpdateHub hub = new UpdateHub();
        AtomicInteger reads = new AtomicInteger();
        DashboardSocket socket = new DashboardSocket(hub,
                () -> Mono.fromSupplier(() -> List.of(row("family-snapshot-" + reads.incrementAndGet(), 50))), json);
        int published = 10 * DashboardSocket.DEFAULT_LIMITS.maxDetections();
        // A client that takes the snapshot and then reads nothing while the hub publishes ten times its bound.
        StepVerifier.create(socket.frames("stuck"), 1)
                .assertNext(frame -> assertThat(frame).contains("family-snapshot-1"))
                .then(() -> {
                    for (int i = 0; i < published; i++) {
                        hub.publishDetections(List.of(detection("d-" + i, "family-" + i, "warning")));
                    }
                })
                .thenRequest(Long.MAX_VALUE)
                // The detections queued before the bound was passed were discarded with it: the snapshot covers them.
                .assertNext(frame -> assertThat(frame).isEqualTo("{\"type\":\"resync\"}"))
                .assertNext(frame -> assertThat(frame).contains("\"type\":\"snapshot\"").contains("family-snapshot-2"))
                .then(() -> hub.publishDetections(List.of(detection("d-after", "family-after", "warning"))))
                // Detections committed after the resync point (fewer than the bound) still arrive, then the new one.
                .thenConsumeWhile(frame -> frame.contains("\"type\":\"detection\"") && !frame.contains("\"d-after\""))
                .assertNext(frame -> assertThat(frame).as("a client that reads again gets live updates")
                        .contains("\"type\":\"detection\"").contains("d-after"))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void shouldSendResyncAndAFreshSnapshotWhenTheHubSaysUpdatesWereMissed() {
        UpdateHub hub = new UpdateHub();
        AtomicInteger reads = new AtomicInteger();
        // Each read of the snapshot sees the projections as they are then: the second one has family-1 at 60.
        DashboardSocket socket = new DashboardSocket(hub,
                () -> Mono.fromSupplier(() -> List.of(row("family-1", reads.incrementAndGet() == 1 ? 80 : 60))), json);

        StepVerifier.create(socket.frames("client-1"))
                .assertNext(frame -> assertThat(frame).contains("\"type\":\"snapshot\"").contains("\"current_engagement_score\":80"))
                .then(hub::publishResync)
                .assertNext(frame -> assertThat(frame).isEqualTo("{\"type\":\"resync\"}"))
                .assertNext(frame -> assertThat(frame).contains("\"type\":\"snapshot\"").contains("\"current_engagement_score\":60"))
                .then(() -> hub.publishMetrics(List.of(row("family-2", 40))))
                .assertNext(frame -> assertThat(frame).contains("\"type\":\"metrics\"").contains("family-2"))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void shouldSendEveryClientFramesEqualToTheWholeUpdateEncodedAtOnce() {
        UpdateHub hub = new UpdateHub();
        DashboardSocket socket = new DashboardSocket(hub, () -> Mono.just(List.of()), json);
        List<List<String>> clients = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        List<reactor.core.Disposable> subscriptions = clients.stream().map(frames -> socket.frames("client")
                .filter(frame -> !frame.contains("\"type\":\"snapshot\""))
                .subscribe(frames::add)).toList();
        FamilyMetricsRow a = row("family-a", 80);
        FamilyMetricsRow b = row("family-b", 20);
        DetectionRow d = detection("d-1", "family-b", "critical");

        hub.publishDetections(List.of(d));
        hub.publishMetrics(List.of(a, b));
        // Each outbox drains on its own worker.
        dev.pulse.support.Poll.until(Duration.ofSeconds(5), "two frames at every client",
                () -> clients.stream().allMatch(frames -> frames.size() >= 2) ? Boolean.TRUE : null);
        subscriptions.forEach(reactor.core.Disposable::dispose);

        java.util.Map<String, Object> detection = new java.util.LinkedHashMap<>();
        detection.put("type", "detection");
        detection.putAll(json.convertValue(d, java.util.Map.class));
        List<tools.jackson.databind.JsonNode> expected = java.util.stream.Stream.of(detection,
                        java.util.Map.of("type", "metrics", "families", List.of(a, b)))
                .map(json::writeValueAsString).map(json::readTree).toList();
        for (List<String> frames : clients) {
            assertThat(frames.stream().map(json::readTree).toList()).as("each client's frames").isEqualTo(expected);
        }
        assertThat(clients.get(0).get(0)).as("the type comes first").startsWith("{\"type\":\"detection\",\"");
    }

    static DetectionRow detection(String id, String family, String severity) {
        Instant t = Instant.parse("2026-11-23T09:00:00Z");
        return new DetectionRow(id, "duplicate_payment", family, "e-" + id, severity, new java.math.BigDecimal("0.950"),
                List.of(), java.util.Map.of(), "active", t, t, null, null, null, null, null);
    }

    static FamilyMetricsRow row(String family, int score) {
        Instant t = Instant.parse("2026-11-23T09:00:00Z");
        return new FamilyMetricsRow(family, score, "stable", 0, null, null, 1, 0, 0,
                score < 30 ? "critical" : "none", null, null, 1, t, t, t, null, null, null);
    }
}
