package dev.pulse.trending;

import dev.pulse.support.TestCredentials;
import static dev.pulse.support.EventBodies.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.Poll;
import dev.pulse.support.PulseServer;
import dev.pulse.support.TestBroker;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * Trending through the real broker and database (SPEC §3.5): the counts of a closed 1h/5m window, over a stream of
 * its own (a topic of its own, and event times in 2031 that no other test writes counters for), read by
 * {@code GET /api/trending} and pushed to a dashboard as the window closes.
 */
class TrendingIT {

    /** A day of its own for each run (the database may keep earlier runs' counters), at 10:00. */
    private static final Instant WINDOW_START = Instant.parse("2031-01-01T10:00:00Z")
            .plus(Duration.ofDays(new java.util.Random().nextInt(3_000)));

    private final PulseServer server = PulseServer.fresh("trending", Map.of());

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldRankTheClosedWindowsFamiliesAndRisingTypesAndPushThemWhenItCloses() {
        server.start();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String a = "trend-a-" + run;
        String b = "trend-b-" + run;
        String c = "trend-c-" + run;
        List<String> frames = new CopyOnWriteArrayList<>();
        Disposable socket = new ReactorNettyWebSocketClient(HttpClient.create(),
                () -> WebsocketClientSpec.builder().maxFramePayloadLength(64 * 1024 * 1024))
                .execute(URI.create("ws://127.0.0.1:" + server.port() + "/ws/dashboard"), TestCredentials.adminHeaders(),
                        session -> session.receive().map(WebSocketMessage::getPayloadAsText).doOnNext(frames::add).then())
                .subscribe();
        try {
            List<String> events = new ArrayList<>();
            // The window before, [09:00, 10:00): 10 logins, 30 e-mails opened.
            events.addAll(times(a, "UserLogin", 10, WINDOW_START.minus(Duration.ofHours(1)), "{}"));
            events.addAll(times(b, "EmailOpened", 30, WINDOW_START.minus(Duration.ofMinutes(50)), "{}"));
            // The window, [10:00, 11:00): logins 40 (a 25, b 15), e-mails opened 30 again, e-mails delivered 21 (new).
            // (No type a rule watches in bulk: detections dated years ahead would crowd other tests' alert feeds.)
            events.addAll(times(a, "UserLogin", 25, WINDOW_START, "{}"));
            events.addAll(times(b, "UserLogin", 15, WINDOW_START.plus(Duration.ofMinutes(5)), "{}"));
            events.addAll(times(b, "EmailOpened", 30, WINDOW_START.plus(Duration.ofMinutes(10)), "{}"));
            events.addAll(times(c, "EmailDelivered", 21, WINDOW_START.plus(Duration.ofMinutes(20)), "{}"));
            // In event-time order, as a partition's events must come to be on time (5 s out-of-orderness).
            events.sort(java.util.Comparator.comparing(e -> e.replaceAll(".*\"event_timestamp\": \"([^\"]+)\".*", "$1")));
            post(events);

            // Every partition moves to 11:04 (watermark 11:03:55): [10:00, 11:00) is the latest closed window.
            List<String> ends = new ArrayList<>();
            for (String family : TestBroker.familyOnEachPartition("trend-clock-" + run)) {
                ends.add(event("t-" + family + "-end", "UserLogout", family, WINDOW_START.plus(Duration.ofMinutes(64)).toString(), "{}"));
            }
            post(ends);

            String end = WINDOW_START.plus(Duration.ofHours(1)).toString();
            Map<String, Object> trending = Poll.until(Duration.ofSeconds(60), "the window [10:00, 11:00) to close", () -> {
                Map<String, Object> t = get("/api/trending");
                return end.equals(t.get("window_end")) ? t : null;
            });
            assertThat(trending).containsEntry("size", "1h/5m").containsEntry("window_start", WINDOW_START.toString());
            assertThat((List<Map<String, Object>>) trending.get("families")).containsExactly(
                    Map.of("family_id", b, "event_count", 45), Map.of("family_id", a, "event_count", 25),
                    Map.of("family_id", c, "event_count", 21));
            List<Map<String, Object>> types = (List<Map<String, Object>>) trending.get("event_types");
            assertThat(types).extracting(t -> t.get("event_type")).as("new first, then by ratio; EmailOpened did not rise")
                    .containsExactly("EmailDelivered", "UserLogin");
            assertThat(types.get(0)).containsEntry("count", 21).containsEntry("previous_count", 0).containsEntry("ratio", null);
            assertThat(types.get(1)).containsEntry("count", 40).containsEntry("previous_count", 10);
            assertThat(((Number) types.get(1).get("ratio")).doubleValue()).isEqualTo(4.0);

            Poll.until(Duration.ofSeconds(30), "a trending frame for the window at the dashboard",
                    () -> frames.stream().anyMatch(f -> f.startsWith("{\"type\":\"trending\"") && f.contains("\"window_end\":\"" + end + "\""))
                            ? Boolean.TRUE : null);

            assertThat(get("/api/trending?window=30m/5m")).as("another window, computed on request")
                    .containsEntry("window_start", WINDOW_START.plus(Duration.ofMinutes(30)).toString()).containsEntry("window_end", end);
            TestCredentials.http(server.baseUrl()).build().get().uri("/api/trending?window=90s/30s").exchange()
                    .expectStatus().isEqualTo(HttpStatus.BAD_REQUEST)
                    .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("tumbling"));
        } finally {
            socket.dispose();
        }
    }

    /** {@code n} events of one type, a minute apart from {@code from}. */
    private static List<String> times(String family, String type, int n, Instant from, String data) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(event("t-" + family + "-" + type + "-" + from.getEpochSecond() + "-" + i, type, family,
                    from.plusSeconds(60L * i + 7).toString(), data));
        }
        return out;
    }

    private Map<String, Object> get(String uri) {
        return TestCredentials.http(server.baseUrl()).build().get().uri(uri).exchange()
                .expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                }).returnResult().getResponseBody();
    }

    private void post(List<String> events) {
        TestCredentials.http(server.baseUrl()).responseTimeout(Duration.ofSeconds(30)).build()
                .post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue("[" + String.join(",", events) + "]")
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }
}
