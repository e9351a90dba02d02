package dev.pulse.push.ws;

import static dev.pulse.push.ws.DashboardSocketTest.detection;
import static dev.pulse.push.ws.DashboardSocketTest.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.push.hub.ClientOutbox;
import dev.pulse.push.hub.UpdateHub;
import java.time.Duration;
import java.util.List;
import dev.pulse.projection.DetectionRow;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** The dashboard protocol of SPEC §5.3 beyond snapshot-then-updates: conflation, bounds, filters, status, errors. */
class DashboardProtocolTest {

    private final JsonMapper json = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    @Test
    void shouldConflateABurstOfOneFamilyIntoAtMostTwoMessagesCarryingTheLastState() {
        UpdateHub hub = new UpdateHub();
        StepVerifier.withVirtualTime(() -> {
                    // 100 committed updates of one family, one per millisecond: 100 updates in 100 ms.
                    Flux<String> burst = Flux.interval(Duration.ofMillis(1)).take(100)
                            .doOnNext(i -> hub.publishMetrics(List.of(row("family-1", i.intValue()))))
                            .thenMany(Flux.empty());
                    return new DashboardSocket(hub, () -> Mono.just(List.of()), json).frames("client")
                            .skip(1)   // the snapshot
                            .mergeWith(burst)
                            .take(Duration.ofSeconds(1))
                            .collectList();
                })
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(frames -> {
                    assertThat(frames).hasSizeBetween(1, 2).allSatisfy(frame -> assertThat(frame).contains("\"type\":\"metrics\""));
                    assertThat(frames.get(frames.size() - 1)).as("the last message carries the last state")
                            .contains("\"current_engagement_score\":99");
                })
                .verifyComplete();
    }

    @Test
    void shouldSendAtMostTenMetricsMessagesPerSecondWhateverTheUpdateRate() {
        UpdateHub hub = new UpdateHub();
        StepVerifier.withVirtualTime(() -> new DashboardSocket(hub, () -> Mono.just(List.of()), json).frames("client")
                        .skip(1)
                        .mergeWith(Flux.interval(Duration.ofMillis(1)).take(1000)
                                .doOnNext(i -> hub.publishMetrics(List.of(row("family-" + (i % 7), 50))))
                                .thenMany(Flux.<String>empty()))
                        .take(Duration.ofSeconds(1))
                        .collectList())
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(frames -> assertThat(frames).hasSizeBetween(9, 10)
                        .allSatisfy(frame -> assertThat(frame).contains("\"type\":\"metrics\"")))
                .verifyComplete();
    }

    @Test
    void shouldGiveAClientThatStopsReadingResyncWhileAFastClientGetsEveryDetectionWithin100MsOfItsPaceAlone() throws InterruptedException {
        UpdateHub hub = new UpdateHub();
        DashboardSocket socket = new DashboardSocket(hub, () -> Mono.just(List.of()), json);
        int batches = 30;
        int perBatch = DashboardSocket.DEFAULT_LIMITS.maxDetections() / 10;
        List<String> fast = new CopyOnWriteArrayList<>();
        Semaphore received = new Semaphore(0);
        Disposable fastClient = socket.frames("fast").subscribe(frame -> {
            fast.add(frame);
            if (frame.contains("\"type\":\"detection\"")) {
                received.release();
            }
        });
        // Warm up (serializers are built on first use) before the other client connects.
        hub.publishDetections(List.of(detection("warm-up", "family-w", "critical")));
        assertThat(received.tryAcquire(1, 5, TimeUnit.SECONDS)).isTrue();
        fast.clear();
        // The same batches first with no other client (the machine's own pace), then with one that reads nothing.
        long[] alone = deliver(hub, received, 0, batches, perBatch);
        Slow slow = new Slow();
        socket.frames("slow").subscribe(slow);
        long[] beside = deliver(hub, received, batches, batches, perBatch);
        fastClient.dispose();

        List<String> ids = fast.stream().filter(f -> f.contains("\"type\":\"detection\""))
                .map(f -> f.replaceAll(".*\"detection_id\":\"(d-\\d+)\".*", "$1")).toList();
        assertThat(ids).as("the fast client gets every detection, in order")
                .isEqualTo(java.util.stream.IntStream.range(0, 2 * batches * perBatch).mapToObj(n -> "d-" + n).toList());
        // Compared with the same client alone, not with a fixed time: on a loaded machine a batch may take 100 ms by
        // itself, and what the acceptance bounds is the delay the stuck client adds.
        assertThat(millis(percentile(beside, 50)) - millis(percentile(alone, 50))).as("the stuck client adds under 100 ms to "
                + "the median batch (alone %s ms, beside it %s ms)", millis(alone), millis(beside)).isLessThan(100);
        assertThat(millis(percentile(beside, 100)) - millis(percentile(alone, 100))).as("the stuck client adds under 100 ms to "
                + "the slowest batch (alone %s ms, beside it %s ms)", millis(alone), millis(beside)).isLessThan(100);
        slow.request(10);
        // The outbox drains on its own worker.
        dev.pulse.support.Poll.until(Duration.ofSeconds(5), "the slow client's resync and snapshot",
                () -> slow.frames.size() >= 3 ? Boolean.TRUE : null);
        assertThat(slow.frames).as("the slow client read the snapshot, then is told to resync and sent a fresh snapshot")
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(slow.frames.get(1)).isEqualTo("{\"type\":\"resync\"}");
        assertThat(slow.frames.get(2)).contains("\"type\":\"snapshot\"");
        slow.dispose();
    }

    /** Publishes {@code batches} batches of detections numbered from {@code first * perBatch}; answers each one's time to reach the client. */
    private static long[] deliver(UpdateHub hub, Semaphore received, int first, int batches, int perBatch) throws InterruptedException {
        long[] took = new long[batches];
        for (int b = 0; b < batches; b++) {
            List<DetectionRow> batch = new ArrayList<>();
            for (int i = 0; i < perBatch; i++) {
                int n = (first + b) * perBatch + i;
                batch.add(detection("d-" + n, "family-" + n, "critical"));
            }
            long started = System.nanoTime();
            hub.publishDetections(batch);
            assertThat(received.tryAcquire(perBatch, 5, TimeUnit.SECONDS)).as("batch %d reaches the fast client", first + b).isTrue();
            took[b] = System.nanoTime() - started;
        }
        return took;
    }

    private static long percentile(long[] values, int p) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static List<Long> millis(long[] nanos) {
        return java.util.Arrays.stream(nanos).map(n -> n / 1_000_000).boxed().toList();
    }

    @Test
    void shouldOnlySendSubscribedFamiliesAndDetectionsAtLeastAsSevereAsAsked() {
        UpdateHub hub = new UpdateHub();
        DashboardSocket socket = new DashboardSocket(hub, () -> Mono.just(List.of(row("family-1", 80))), json);
        ClientOutbox outbox = socket.newOutbox();
        StepVerifier.create(socket.frames("client", outbox))
                .assertNext(frame -> assertThat(frame).contains("\"type\":\"snapshot\""))
                .then(() -> socket.accept(outbox, "{\"type\":\"subscribe\",\"family_ids\":[\"family-1\"],\"min_severity\":\"warning\"}"))
                .assertNext(frame -> assertThat(frame).as("a fresh snapshot under the new filter").contains("\"type\":\"snapshot\""))
                .then(() -> {
                    hub.publishDetections(List.of(detection("d-other", "family-2", "critical")));
                    hub.publishDetections(List.of(detection("d-watch", "family-1", "watch")));
                    hub.publishMetrics(List.of(row("family-2", 10)));
                    hub.publishDetections(List.of(detection("d-warning", "family-1", "warning")));
                    hub.publishMetrics(List.of(row("family-1", 20), row("family-3", 30)));
                })
                .assertNext(frame -> assertThat(frame).contains("\"type\":\"detection\"").contains("d-warning"))
                .assertNext(frame -> assertThat(frame).contains("\"type\":\"metrics\"").contains("family-1")
                        .doesNotContain("family-2").doesNotContain("family-3"))
                .expectNoEvent(Duration.ofMillis(300))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void shouldAnswerMalformedUnknownAndOversizedMessagesWithErrorFramesAndKeepServing() {
        UpdateHub hub = new UpdateHub();
        DashboardSocket socket = new DashboardSocket(hub, () -> Mono.just(List.of()), json);
        ClientOutbox outbox = socket.newOutbox();
        StepVerifier.create(socket.frames("client", outbox))
                .assertNext(frame -> assertThat(frame).contains("\"type\":\"snapshot\""))
                .then(() -> socket.accept(outbox, "{not json"))
                .assertNext(frame -> assertThat(frame).startsWith("{\"type\":\"error\",\"error\":\"malformed_message\"")
                        .contains("not JSON"))
                .then(() -> socket.accept(outbox, "{\"type\":\"unsubscribe\"}"))
                .assertNext(frame -> assertThat(frame).contains("\"error\":\"unknown_message_type\"").contains("unsubscribe"))
                .then(() -> socket.accept(outbox, "{\"type\":\"subscribe\",\"min_severity\":\"loud\"}"))
                .assertNext(frame -> assertThat(frame).contains("\"error\":\"malformed_message\"").contains("min_severity"))
                .then(() -> socket.accept(outbox, "{\"type\":\"subscribe\",\"family_ids\":\"family-1\"}"))
                .assertNext(frame -> assertThat(frame).contains("\"error\":\"malformed_message\"").contains("family_ids"))
                .then(() -> socket.accept(outbox, "{\"type\":\"subscribe\",\"family_ids\":[\"" + "x".repeat(20_000) + "\"]}"))
                .assertNext(frame -> assertThat(frame).contains("\"error\":\"message_too_large\"").contains("16384"))
                .then(() -> hub.publishDetections(List.of(detection("d-1", "family-1", "critical"))))
                .assertNext(frame -> assertThat(frame).as("still serving").contains("\"type\":\"detection\""))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void shouldSendEachStatusOfTheFeedAndShowTheLatestInTheNextSnapshot() {
        UpdateHub hub = new UpdateHub();
        StepVerifier.withVirtualTime(() -> {
                    Flux<Map<String, Object>> statuses = Flux.interval(Duration.ofSeconds(1))
                            .map(i -> Map.<String, Object>of("events_per_second", i));
                    DashboardSocket socket = new DashboardSocket(hub,
                            subscription -> Mono.just(new DashboardSocket.Snapshot(List.of(), List.of())), statuses,
                            DashboardSocket.DEFAULT_LIMITS, new DashboardSocket.InboundLimits(1024, 10), Schedulers.parallel(), json,
                            new dev.pulse.push.hub.GoingAway());
                    return socket.frames("client");
                })
                .assertNext(frame -> assertThat(frame).contains("\"type\":\"snapshot\"").contains("\"status\":{}"))
                .expectNoEvent(Duration.ofSeconds(1))
                .assertNext(frame -> assertThat(frame).isEqualTo("{\"type\":\"status\",\"events_per_second\":0}"))
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(frame -> assertThat(frame).isEqualTo("{\"type\":\"status\",\"events_per_second\":1}"))
                .then(hub::publishResync)
                .assertNext(frame -> assertThat(frame).isEqualTo("{\"type\":\"resync\"}"))
                .assertNext(frame -> assertThat(frame).contains("\"type\":\"snapshot\"").contains("\"status\":{\"events_per_second\":1}"))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    /** Requests one frame (the snapshot) and then nothing until told. */
    private static final class Slow extends BaseSubscriber<String> {
        final List<String> frames = new CopyOnWriteArrayList<>();

        @Override
        protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
            request(1);
        }

        @Override
        protected void hookOnNext(String value) {
            frames.add(value);
        }
    }
}
