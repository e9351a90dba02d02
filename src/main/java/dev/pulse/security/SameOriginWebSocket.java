package dev.pulse.security;

import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses a WebSocket handshake that a page of another origin started (cross-site WebSocket hijacking): browsers send
 * the session cookie with a handshake but, unlike {@code fetch}, apply no CORS to it, so the handshake's
 * {@code Origin} must name this server. Tools send no {@code Origin}, or authenticate with a token, and pass.
 */
public final class SameOriginWebSocket implements WebFilter {

    private final String path;

    public SameOriginWebSocket(String path) {
        this.path = path;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (path.equals(request.getPath().pathWithinApplication().value())
                && !BearerTokenConverter.carriesToken(request)
                && !sameOrigin(request.getHeaders().getOrigin(), request.getHeaders().getFirst(HttpHeaders.HOST))) {
            exchange.getResponse().setStatusCode(HttpStatus.FORBIDDEN);
            return exchange.getResponse().setComplete();
        }
        return chain.filter(exchange);
    }

    private static boolean sameOrigin(String origin, String host) {
        if (origin == null) {
            return true;
        }
        try {
            URI uri = URI.create(origin);
            String originHost = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return originHost != null && originHost.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
