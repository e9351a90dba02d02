package dev.pulse.ingest.http;

import dev.pulse.support.RecentDay;
import dev.pulse.support.TestCredentials;
import static dev.pulse.support.RecentDay.at;
import static dev.pulse.support.EventBodies.login;
import static dev.pulse.support.EventBodies.score;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import tools.jackson.databind.json.JsonMapper;

/** The walking skeleton end to end: HTTP → Kafka → pipeline → PostgreSQL → REST and WebSocket. */
class EventIngestIT extends PulseIT {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    @SuppressWarnings("unchecked")
    void shouldShowPostedEventAtRestWithinOneSecondAndPushItToConnectedDashboards() throws Exception {
        warmUp();
        BlockingQueue<Map<String, Object>> frames = new LinkedBlockingQueue<>();
        // A snapshot carries up to 1,000 families in one frame, far above Netty's default 64 KiB frame limit.
        Disposable socket = new ReactorNettyWebSocketClient(reactor.netty.http.client.HttpClient.create(),
                () -> reactor.netty.http.client.WebsocketClientSpec.builder().maxFramePayloadLength(16 * 1024 * 1024))
                .execute(URI.create("ws://127.0.0.1:" + port + "/ws/dashboard"), TestCredentials.adminHeaders(), session -> session.receive()
                        .map(WebSocketMessage::getPayloadAsText)
                        .doOnNext(text -> frames.add(readMap(text)))
                        .then())
                .subscribe();
        try {
            Map<String, Object> first = frames.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(first).as("first frame").isNotNull().containsEntry("type", "snapshot").containsKey("families");

            String family = uniqueFamily("ingest");
            http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(score(uniqueId("e"), family, RecentDay.DAY.toString().replace("T00:00:00Z", "T09:10:00.000Z"), 42))
                    .exchange()
                    .expectStatus().isEqualTo(HttpStatus.ACCEPTED)
                    .expectBody().json("{\"accepted\": 1, \"rejected\": []}");
            long posted = System.nanoTime();

            Map<String, Object> row = Poll.until(Duration.ofSeconds(1), family + " at /api/families/{id}", () -> familyOrNull(family));
            System.out.printf("event visible at REST %d ms after the 202%n", (System.nanoTime() - posted) / 1_000_000);
            assertThat(row).containsEntry("family_id", family)
                    .containsEntry("current_engagement_score", 42)
                    .containsEntry("events_processed", 1)
                    .containsEntry("alert_level", "warning")
                    .containsEntry("alert_reason", "score 42 < 50")
                    .containsEntry("last_event_timestamp", at("09:10:00"));

            Map<String, Object> pushed = Poll.until(Duration.ofSeconds(5), "a metrics frame for " + family, () -> {
                Map<String, Object> frame = frames.poll();
                if (frame == null || !"metrics".equals(frame.get("type"))) {
                    return null;
                }
                return ((java.util.List<?>) frame.get("families")).stream()
                        .map(f -> (Map<String, Object>) f)
                        .filter(f -> family.equals(f.get("family_id")))
                        .findFirst().orElse(null);
            });
            assertThat(pushed).containsEntry("current_engagement_score", 42).containsEntry("alert_level", "warning");
        } finally {
            socket.dispose();
        }
    }

    /** The first event after start waits for the consumer group to form; measure only after that. */
    private void warmUp() {
        String family = uniqueFamily("warmup");
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(login(uniqueId("w"), family, at("09:00:00")))
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
        Poll.until(Duration.ofSeconds(60), "the pipeline to process a first event", () -> familyOrNull(family));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readMap(String text) {
        return json.readValue(text, Map.class);
    }
}
