package dev.pulse.push.ws;

import static dev.pulse.support.RecentDay.at;
import dev.pulse.support.TestCredentials;
import static dev.pulse.support.EventBodies.score;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * {@code /ws/dashboard} over a real socket against the running application (SPEC §5.3): bad client messages
 * get error frames on an open socket, a subscription filters what the real pipeline pushes, and a status
 * arrives every second.
 */
class DashboardSocketIT extends PulseIT {

    @Test
    void shouldAnswerBadMessagesWithErrorFramesThenFilterLiveUpdatesBySubscription() {
        String watched = uniqueFamily("ws-watched");
        String other = uniqueFamily("ws-other");
        List<String> frames = new CopyOnWriteArrayList<>();
        Sinks.Many<String> outgoing = Sinks.many().unicast().onBackpressureBuffer();
        // Snapshots of the shared test database exceed Netty's 64 KiB default frame size.
        Disposable socket = new ReactorNettyWebSocketClient(HttpClient.create(),
                () -> WebsocketClientSpec.builder().maxFramePayloadLength(64 * 1024 * 1024))
                .execute(URI.create("ws://127.0.0.1:" + port + "/ws/dashboard"), TestCredentials.adminHeaders(), session -> Flux.merge(
                        session.receive().map(WebSocketMessage::getPayloadAsText).doOnNext(frames::add).then(),
                        session.send(outgoing.asFlux().map(session::textMessage))).then())
                .subscribe();
        try {
            await(frames, "\"type\":\"snapshot\"");
            outgoing.tryEmitNext("{\"type\":\"subscribe\"");
            await(frames, "\"error\":\"malformed_message\"");
            // Larger than pulse.live.max-client-message (16 KiB), smaller than the frame limit: refused, socket open.
            outgoing.tryEmitNext("{\"type\":\"subscribe\",\"family_ids\":[\"" + "x".repeat(40_000) + "\"]}");
            await(frames, "\"error\":\"message_too_large\"");
            outgoing.tryEmitNext("{\"type\":\"hello\"}");
            await(frames, "\"error\":\"unknown_message_type\"");

            outgoing.tryEmitNext("{\"type\":\"subscribe\",\"family_ids\":[\"" + watched + "\"],\"min_severity\":\"critical\"}");
            Poll.until(Duration.ofSeconds(30), "a second snapshot after subscribe",
                    () -> frames.stream().filter(f -> f.contains("\"type\":\"snapshot\"")).count() >= 2 ? Boolean.TRUE : null);
            post(score(uniqueId("s"), other, at("09:00:00"), 20), score(uniqueId("s"), watched, at("09:00:00"), 90),
                    score(uniqueId("s"), watched, at("09:03:00"), 40));
            // 90 → 40 within 5 minutes is an engagement_rapid_drop (critical); the warning-level alert is filtered out.
            await(frames, "\"pattern\":\"engagement_rapid_drop\"");
            await(frames, "\"type\":\"metrics\"");
            await(frames, "\"type\":\"status\"");
            assertThat(frames).filteredOn(f -> f.contains("\"type\":\"metrics\"") || f.contains("\"type\":\"detection\""))
                    .allSatisfy(f -> assertThat(f).contains(watched).doesNotContain(other));
            assertThat(frames).filteredOn(f -> f.contains("\"type\":\"detection\""))
                    .allSatisfy(f -> assertThat(f).contains("\"severity\":\"critical\""));
        } finally {
            socket.dispose();
        }
    }

    private void post(String... events) {
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue("[" + String.join(",", events) + "]")
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }

    private static void await(List<String> frames, String fragment) {
        Poll.until(Duration.ofSeconds(30), "a frame with " + fragment,
                () -> frames.stream().anyMatch(f -> f.contains(fragment)) ? Boolean.TRUE : null);
    }
}
