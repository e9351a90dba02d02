package dev.pulse.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.Poll;
import dev.pulse.support.PulseServer;
import dev.pulse.support.TestCredentials;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.http.client.HttpClient;

/**
 * SPEC §5.5 "connections per user": with {@code pulse.live.max-connections-per-user=2}, a viewer token holding two SSE
 * streams gets {@code 429} for a third stream and for a dashboard socket, while another token still connects; once
 * one of its streams closes, it may open one again.
 */
class ConnectionsPerUserIT {

    private static final PulseServer SERVER = PulseServer.fresh("connections", Map.of("pulse.live.max-connections-per-user", 2));

    @BeforeAll
    static void start() {
        SERVER.start();
    }

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    @Test
    void shouldRefuseAThirdLongLivedConnectionOfOneUserWith429AndAllowItAgainOnceOneCloses() {
        String viewer = "Bearer " + TestCredentials.token(Role.VIEWER);
        ConnectionsPerUser limit = SERVER.bean(ConnectionsPerUser.class);
        List<Disposable> streams = new CopyOnWriteArrayList<>();
        try {
            streams.add(openStream(viewer));
            streams.add(openStream(viewer));
            Poll.until(Duration.ofSeconds(10), "two open streams of the viewer token", () -> limit.total() == 2 ? true : null);

            WebTestClient http = http();
            stream(http, viewer).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                    .expectBody().jsonPath("$.error").isEqualTo("too_many_connections")
                    .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("at most 2"));
            assertThat(handshake(viewer)).as("a dashboard socket counts against the same limit").contains("429");
            // Plain requests are not limited, nor is another token.
            http.get().uri("/api/families?limit=1").header(HttpHeaders.AUTHORIZATION, viewer).exchange().expectStatus().isOk();
            streams.add(openStream(TestCredentials.adminAuthorization()));

            streams.remove(0).dispose();
            Poll.until(Duration.ofSeconds(10), "a third stream once one closed", () -> {
                var result = stream(http, viewer).returnResult(String.class);
                HttpStatus status = HttpStatus.valueOf(result.getStatus().value());
                result.getResponseBody().subscribe().dispose();
                return status == HttpStatus.OK ? true : null;
            });
        } finally {
            streams.forEach(Disposable::dispose);
        }
    }

    @Test
    void shouldHoldAWebSocketAgainstTheLimitForAsLongAsItIsOpen() {
        // A WebSocket's exchange ends with its handshake; the socket lasts until its session ends. Counted with the
        // exchange, two open sockets would leave the limit as soon as they were answered, and a third one would open.
        String viewer = "Bearer " + TestCredentials.token(Role.VIEWER);
        ConnectionsPerUser limit = SERVER.bean(ConnectionsPerUser.class);
        List<Disposable> sockets = new CopyOnWriteArrayList<>();
        try {
            CountDownLatch framed = new CountDownLatch(2);
            sockets.add(openSocket(viewer, framed));
            sockets.add(openSocket(viewer, framed));
            assertThat(await(framed)).as("both sockets received their first frame").isTrue();
            assertThat(limit.total()).as("open connections once both sockets are answered and framed").isEqualTo(2);

            assertThat(handshake(viewer)).as("a third socket while two are open").contains("429");
            stream(http(), viewer).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
            assertThat(limit.total()).as("refused connections hold nothing").isEqualTo(2);

            sockets.remove(0).dispose();
            Poll.until(Duration.ofSeconds(10), "one socket's place given back when it closed", () -> limit.total() == 1 ? true : null);
            assertThat(handshake(viewer)).as("a socket once one closed").isEqualTo("open");
        } finally {
            sockets.forEach(Disposable::dispose);
        }
        Poll.until(Duration.ofSeconds(10), "every place given back", () -> limit.total() == 0 ? true : null);
    }

    /** A dashboard socket held open until disposed; counts {@code framed} down at its first frame. */
    private static Disposable openSocket(String authorization, CountDownLatch framed) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, authorization);
        AtomicBoolean first = new AtomicBoolean(true);
        return new ReactorNettyWebSocketClient(HttpClient.create(ConnectionProvider.newConnection()),
                () -> WebsocketClientSpec.builder().maxFramePayloadLength(16 * 1024 * 1024))
                .execute(URI.create("ws://127.0.0.1:" + SERVER.port() + "/ws/dashboard"), headers,
                        session -> session.receive().doOnNext(frame -> {
                            if (first.getAndSet(false)) {
                                framed.countDown();
                            }
                        }).then())
                .subscribe(null, error -> { });
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl(SERVER.baseUrl()).responseTimeout(Duration.ofSeconds(10)).build();
    }

    /** A request for the detection stream, as {@code authorization}: answered 200 and held, or refused. */
    private static WebTestClient.ResponseSpec stream(WebTestClient http, String authorization) {
        return http.get().uri("/api/stream/detections").header(HttpHeaders.AUTHORIZATION, authorization)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange();
    }

    private static Disposable openStream(String authorization) {
        return WebClient.create(SERVER.baseUrl()).get().uri("/api/stream/detections")
                .header(HttpHeaders.AUTHORIZATION, authorization).accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve().bodyToFlux(String.class).subscribe(line -> { }, error -> { });
    }

    /** The handshake's outcome: "open", or the error the client saw (its message names the status). */
    private static String handshake(String authorization) {
        AtomicReference<String> outcome = new AtomicReference<>();
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, authorization);
        new ReactorNettyWebSocketClient(HttpClient.create())
                .execute(URI.create("ws://127.0.0.1:" + SERVER.port() + "/ws/dashboard"), headers, session -> {
                    outcome.set("open");
                    return session.close();
                })
                .onErrorResume(e -> {
                    outcome.set(String.valueOf(e.getMessage()));
                    return Mono.empty();
                })
                .block(Duration.ofSeconds(10));
        return outcome.get();
    }
}
