package dev.pulse.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * When a long-lived connection ends, for the per-user limit and the client gauge: an SSE stream with its exchange, a
 * WebSocket with its session (its exchange ends with the handshake), or with its exchange when no session began.
 */
class LongLivedRequestsTest {

    /**
     * Upgrades when subscribed, as the web filters' chain does: it starts the handler's session, which runs on its
     * own, and completes with the handshake, as Reactor Netty does.
     */
    private static final WebSocketService UPGRADING = (exchange, handler) -> Mono.defer(() -> {
        handler.handle(null).subscribe();
        return Mono.empty();
    });

    private static MockServerWebExchange get(String path) {
        return MockServerWebExchange.from(MockServerHttpRequest.get(path));
    }

    @Test
    void aStreamEndsWithItsExchange() {
        MockServerWebExchange exchange = get("/api/stream/detections");
        AtomicInteger ended = new AtomicInteger();
        StepVerifier.create(LongLivedRequests.untilEnd(exchange, Mono.empty(), ended::incrementAndGet)).verifyComplete();
        assertThat(ended).hasValue(1);
    }

    @Test
    void aSocketEndsWithItsSessionNotWithItsHandshake() {
        MockServerWebExchange exchange = get("/ws/dashboard");
        AtomicInteger ended = new AtomicInteger();
        Sinks.Empty<Void> session = Sinks.empty();
        WebSocketHandler handler = s -> session.asMono();
        WebSocketService service = LongLivedRequests.endingWithSession(UPGRADING);

        StepVerifier.create(LongLivedRequests.untilEnd(exchange, service.handleRequest(exchange, handler), ended::incrementAndGet))
                .verifyComplete();
        assertThat(ended).as("after the handshake, the socket still open").hasValue(0);
        session.tryEmitEmpty();
        assertThat(ended).as("once its session ended").hasValue(1);
    }

    @Test
    void aSocketWhoseSessionNeverBeganEndsWithItsExchangeOnce() {
        MockServerWebExchange exchange = get("/ws/dashboard");
        AtomicInteger ended = new AtomicInteger();
        WebSocketService refusing = LongLivedRequests.endingWithSession((ex, h) -> Mono.error(new IllegalStateException("no upgrade")));

        StepVerifier.create(LongLivedRequests.untilEnd(exchange, refusing.handleRequest(exchange, s -> Mono.never()), ended::incrementAndGet))
                .verifyError(IllegalStateException.class);
        assertThat(ended).hasValue(1);
    }

    @Test
    void everyActionOfASocketRunsOnceWhenItsSessionEnds() {
        MockServerWebExchange exchange = get("/ws/dashboard");
        AtomicInteger gauge = new AtomicInteger();
        AtomicInteger limit = new AtomicInteger();
        Sinks.Empty<Void> session = Sinks.empty();
        WebSocketService service = LongLivedRequests.endingWithSession(UPGRADING);
        // Two filters, one inside the other, as the client gauge and the per-user limit are.
        Mono<Void> inner = LongLivedRequests.untilEnd(exchange, service.handleRequest(exchange, s -> session.asMono()),
                limit::incrementAndGet);
        StepVerifier.create(LongLivedRequests.untilEnd(exchange, inner, gauge::incrementAndGet)).verifyComplete();
        assertThat(gauge.get() + limit.get()).as("while the socket is open").isZero();
        session.tryEmitEmpty();
        assertThat(gauge).hasValue(1);
        assertThat(limit).hasValue(1);
    }
}
