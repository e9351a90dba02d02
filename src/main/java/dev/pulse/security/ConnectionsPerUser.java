package dev.pulse.security;

import dev.pulse.push.LongLivedRequests;
import java.security.Principal;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * At most {@code max} long-lived connections (dashboard WebSockets and SSE streams together) per user or token at
 * once (SPEC §5.5 "connections per user"): each one holds an outbox, a hub subscription and a socket for as long as
 * it lasts, so one credential must not be able to open them without bound. One more is answered {@code 429} before
 * the handshake or the stream starts. Runs after Spring Security, so the user is known; anonymous requests never get
 * here (they are refused with 401 first).
 */
public final class ConnectionsPerUser implements WebFilter {

    private final int max;
    private final JsonMapper json;
    // One entry per configured user or token that ever connected: bounded by the configuration.
    private final ConcurrentHashMap<String, AtomicInteger> open = new ConcurrentHashMap<>();

    public ConnectionsPerUser(int max, JsonMapper json) {
        if (max < 1) {
            throw new IllegalArgumentException("pulse.live.max-connections-per-user must be >= 1, was " + max);
        }
        this.max = max;
        this.json = json;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (LongLivedRequests.transportOf(exchange) == null) {
            return chain.filter(exchange);
        }
        return exchange.getPrincipal().map(Principal::getName).defaultIfEmpty("")
                .flatMap(user -> {
                    if (user.isEmpty()) {
                        return chain.filter(exchange);
                    }
                    AtomicInteger count = open.computeIfAbsent(user, u -> new AtomicInteger());
                    if (count.incrementAndGet() > max) {
                        count.decrementAndGet();
                        return tooMany(exchange.getResponse());
                    }
                    // Held until the connection ends: for a WebSocket, its session, not its exchange (the handshake).
                    return LongLivedRequests.untilEnd(exchange, chain.filter(exchange), count::decrementAndGet);
                });
    }

    /** Open long-lived connections now, all users together. */
    public int total() {
        return open.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private Mono<Void> tooMany(ServerHttpResponse response) {
        return JsonSecurityErrors.write(json, response, HttpStatus.TOO_MANY_REQUESTS, "too_many_connections", "at most " + max
                + " dashboard sockets and SSE streams at once per user or token (pulse.live.max-connections-per-user);"
                + " close one first");
    }
}
