package dev.pulse.push;

import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;

/**
 * Which requests open a connection that lasts (the dashboard WebSocket, the SSE streams): the ones the client gauges
 * count and the per-user connection limit bounds. One place, so that the two always agree on what a connection is.
 */
public final class LongLivedRequests {

    /** How a long-lived connection reaches its client. */
    public enum Transport { WEBSOCKET, SSE }

    static final String SOCKET_PATH = "/ws/dashboard";
    static final String SSE_PREFIX = "/api/stream/";
    /** {@code /api/stream/status} is plain JSON, not a stream. */
    static final String STATUS_PATH = "/api/stream/status";

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
}
