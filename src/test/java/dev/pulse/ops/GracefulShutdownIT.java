package dev.pulse.ops;

import static dev.pulse.support.RecentDay.at;
import static dev.pulse.support.EventBodies.login;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.pipeline.EventPipeline;
import dev.pulse.support.Poll;
import dev.pulse.support.PulseServer;
import dev.pulse.support.TestCredentials;
import dev.pulse.support.TestDatabase;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * Graceful shutdown (issue 8, SPEC §4): stopping the server (what SIGTERM does through the shutdown hook) commits
 * the checkpoint in flight instead of cutting it, leaves its partitions {@code stopped} (SPEC §3.4), and ends the
 * long-lived connections on purpose: the dashboard
 * socket with a going-away close frame (1001), an SSE stream with a final comment, so clients reconnect.
 */
class GracefulShutdownIT {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENT = new ParameterizedTypeReference<>() {
    };

    // A long batch window: the events below are taken from the log and wait in the lane's batch when the stop begins.
    private final PulseServer server = PulseServer.fresh("shutdown", Map.of(
            "pulse.stream.checkpoint-interval", "30s", "server.shutdown", "graceful"));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldCommitTheBatchInFlightAndCloseSocketsAndStreamsSayingSoWhenStopped() throws Exception {
        server.start();
        String family = "shutdown-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> frames = new CopyOnWriteArrayList<>();
        AtomicReference<CloseStatus> closed = new AtomicReference<>();
        Disposable socket = new ReactorNettyWebSocketClient(HttpClient.create(),
                () -> WebsocketClientSpec.builder().maxFramePayloadLength(64 * 1024 * 1024))
                .execute(URI.create("ws://127.0.0.1:" + server.port() + "/ws/dashboard"), TestCredentials.adminHeaders(),
                        session -> session.closeStatus()
                        .doOnNext(closed::set)
                        .and(session.receive().map(WebSocketMessage::getPayloadAsText).doOnNext(frames::add)))
                .subscribe();
        List<ServerSentEvent<String>> sse = new CopyOnWriteArrayList<>();
        AtomicReference<Boolean> sseCompleted = new AtomicReference<>(false);
        Disposable stream = TestCredentials.webClient(server.baseUrl()).build().get().uri("/api/stream/detections")
                .accept(MediaType.TEXT_EVENT_STREAM).retrieve().bodyToFlux(EVENT)
                .subscribe(sse::add, error -> { }, () -> sseCompleted.set(true));
        try {
            Poll.until(Duration.ofSeconds(30), "the snapshot and the first heartbeat",
                    () -> !frames.isEmpty() && !sse.isEmpty() ? Boolean.TRUE : null);

            List<String> events = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                events.add(login(family + "-" + i, family, at("09:00:%02d".formatted(i))));
            }
            TestCredentials.http(server.baseUrl()).build().post().uri("/api/events")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("[" + String.join(",", events) + "]")
                    .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
            EventPipeline pipeline = server.bean(EventPipeline.class);
            Poll.until(Duration.ofSeconds(30), "all 20 events taken from the log, waiting in a batch",
                    () -> pipeline.recordsInFlight() == 20 ? Boolean.TRUE : null);
            assertThat(processed()).as("nothing committed before the stop").isZero();

            server.stop();

            assertThat(processed()).as("the batch in flight was committed, not rolled back").isEqualTo(20);
            assertThat(count("status = 'stopped'")).as("partitions stopped").isPositive().isEqualTo(count("true"));
            Poll.until(Duration.ofSeconds(10), "the socket's close", () -> closed.get());
            assertThat(closed.get().getCode()).as("the dashboard socket closes with going-away").isEqualTo(CloseStatus.GOING_AWAY.getCode());
            Poll.until(Duration.ofSeconds(10), "the SSE stream's end", () -> sseCompleted.get() ? Boolean.TRUE : null);
            assertThat(sse.get(sse.size() - 1).comment()).as("the SSE stream's last words")
                    .startsWith("server going away");

            server.start();
            Poll.until(Duration.ofSeconds(60), "the restarted server's claim to set its partitions running", () -> {
                long running = count("status = 'running'");
                return running > 0 && running == count("true") ? Boolean.TRUE : null;
            });
        } finally {
            socket.dispose();
            stream.dispose();
        }
    }

    /** This server's checkpoint rows matching {@code condition}. */
    private long count(String condition) {
        try {
            return TestDatabase.single(TestDatabase.shared(), "select count(*) from stream_checkpoints where topic = '" + server.topic()
                    + "' and " + condition);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long processed() throws Exception {
        return TestDatabase.single(TestDatabase.shared(), "select coalesce(sum(events_processed_total), 0) from stream_checkpoints"
                + " where topic = '" + server.topic() + "'");
    }
}
