package dev.pulse.security;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * 401 and 403 in the API's {@code {"error","detail"}} form (SPEC §5.1). The texts are the same whatever was wrong
 * (no credentials, an unknown token, a malformed header), and {@code WWW-Authenticate} names the scheme only
 * (RFC 6750 §3 without {@code error=}), so that an answer never tells which part of a credential was wrong.
 */
public final class JsonSecurityErrors implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

    static final String UNAUTHORIZED_DETAIL = "missing or invalid credentials: log in, or send Authorization: Bearer <token>";
    static final String FORBIDDEN_DETAIL = "your role does not allow this request";

    private final JsonMapper json;

    public JsonSecurityErrors(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
        ServerHttpResponse response = exchange.getResponse();
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"pulse\"");
        return write(json, response, HttpStatus.UNAUTHORIZED, "unauthorized", UNAUTHORIZED_DETAIL);
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        // A CSRF failure is a 403 too; its own detail helps whoever wrote the page's script.
        String detail = denied instanceof org.springframework.security.web.server.csrf.CsrfException
                ? "missing or invalid CSRF token (send the page's meta _csrf as the header its meta _csrf_header names)" : FORBIDDEN_DETAIL;
        return write(json, exchange.getResponse(), HttpStatus.FORBIDDEN, "forbidden", detail);
    }

    /** Answers {@code status} with {@code {"error","detail"}}, unless the response was committed already. */
    static Mono<Void> write(JsonMapper json, ServerHttpResponse response, HttpStatus status, String error, String detail) {
        if (response.isCommitted()) {
            return Mono.empty();
        }
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("detail", detail);
        DataBuffer buffer = response.bufferFactory().wrap(json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(buffer));
    }
}
