package dev.pulse.push;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Which requests open a connection that lasts (the dashboard WebSocket, the SSE streams): the ones the client gauges
 * count and the per-user connection limit bounds. One place, so that the two always agree on what a connection is,
 * and on when it ends.
 */
public final class LongLivedRequests {

    /** How a long-lived connection reaches its client. */
    public enum Transport { WEBSOCKET, SSE }

    static final String SOCKET_PATH = "/ws/dashboard";
    static final String SSE_PREFIX = "/api/stream/";
    /** {@code /api/stream/status} is plain JSON, not a stream. */
    static final String STATUS_PATH = "/api/stream/status";
    /** The exchange attribute that holds a WebSocket connection's {@link Ending}. */
    static final String ENDING = LongLivedRequests.class.getName() + ".ending";

    private LongLivedRequests() {
    }

    /** The transport of a request that opens a long-lived connection, or null for any other request. */
    public static Transport transportOf(ServerWebExchange exchange) {
        if (exchange.getRequest().getMethod() != HttpMethod.GET) {
            return null;
        }
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (path.equals(SOCKET_PATH)) {
            return Transport.WEBSOCKET;
        }
        return path.startsWith(SSE_PREFIX) && !path.equals(STATUS_PATH) ? Transport.SSE : null;
    }

    /**
     * {@code handling} (a web filter's {@code chain.filter(exchange)}), running {@code onEnd} once when the connection
     * ends. An SSE stream ends with its exchange. A WebSocket does not: Reactor Netty completes the upgrade as soon as
     * the handshake is written (reactor-netty#393) and runs the socket's handler on its own, so a count released with
     * the exchange would drop each socket right after its handshake. Its {@code onEnd} runs when the socket's session
     * ends ({@link #endingWithSession}), or with the exchange when no session began (a refused or failed handshake).
     */
    public static Mono<Void> untilEnd(ServerWebExchange exchange, Mono<Void> handling, Runnable onEnd) {
        if (transportOf(exchange) != Transport.WEBSOCKET) {
            return handling.doFinally(signal -> onEnd.run());
        }
        Ending ending = (Ending) exchange.getAttributes().computeIfAbsent(ENDING, name -> new Ending());
        ending.onEnd(onEnd);
        return handling.doFinally(signal -> ending.exchangeEnded());
    }

    /**
     * The WebSocket service, telling the {@link #untilEnd} actions of each exchange it upgrades when the socket's
     * session ends.
     */
    public static WebSocketService endingWithSession(WebSocketService service) {
        return (exchange, handler) -> service.handleRequest(exchange, endingWithSession(exchange, handler));
    }

    private static WebSocketHandler endingWithSession(ServerWebExchange exchange, WebSocketHandler handler) {
        return new WebSocketHandler() {
            @Override
            public Mono<Void> handle(WebSocketSession session) {
                if (!(exchange.getAttributes().get(ENDING) instanceof Ending ending)) {
                    return handler.handle(session);
                }
                ending.sessionStarted();
                return handler.handle(session).doFinally(signal -> ending.sessionEnded());
            }

            @Override
            public List<String> getSubProtocols() {
                return handler.getSubProtocols();
            }
        };
    }

    /**
     * What to do when a WebSocket connection ends, run once: when its session ends, or when its exchange ends
     * without a session having begun. Reactor Netty starts the session's handler before it completes the
     * upgrade, so a session that begins has begun by the time the exchange ends.
     */
    static final class Ending {

        private final List<Runnable> actions = new CopyOnWriteArrayList<>();
        private final AtomicBoolean began = new AtomicBoolean();
        private final AtomicBoolean ended = new AtomicBoolean();

        void onEnd(Runnable action) {
            actions.add(action);
        }

        void sessionStarted() {
            began.set(true);
        }

        void exchangeEnded() {
            if (!began.get()) {
                end();
            }
        }

        void sessionEnded() {
            end();
        }

        private void end() {
            if (ended.compareAndSet(false, true)) {
                actions.forEach(Runnable::run);
            }
        }
    }
}
