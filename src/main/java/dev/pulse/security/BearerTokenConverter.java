package dev.pulse.security;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads {@code Authorization: Bearer <token>} (RFC 6750 §2.1; the scheme is case-insensitive). A request without it
 * is left to the session (empty); one with it is judged by its token alone, so that a wrong token is a 401 even
 * when a session cookie comes along.
 */
public final class BearerTokenConverter implements ServerAuthenticationConverter {

    private static final String SCHEME = "bearer ";

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        return carriesToken(exchange.getRequest())
                ? Mono.just(new BearerToken(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION)
                        .substring(SCHEME.length()).strip()))
                : Mono.empty();
    }

    /** True if the request sends a bearer token (valid or not). */
    public static boolean carriesToken(ServerHttpRequest request) {
        String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        return header != null && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }
}
