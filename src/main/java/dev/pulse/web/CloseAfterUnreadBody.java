package dev.pulse.web;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Closes the connection after an error answered before the request's body was read: a refused login, a POST to an
 * unknown path (404), a method not allowed (405), a media type not accepted (415), a body over the limit (413).
 * RFC 9112 §9.3 lets a server answer first only if it then closes the connection, and reactor-netty's keep-alive
 * handling does hang on the next request of such a connection now and then (a browser session's POST refused for its
 * CSRF token, then the same POST with it: about one in eighty; reactor-netty 1.3.6, compare reactor/reactor-netty#4347).
 * A body read to its end, and every successful answer, keep the connection.
 * <p>
 * Ordered first, so that it also sees the answers of the security chain. A body read as form data
 * ({@code exchange.getFormData()}) is read through the original request and counts as unread: an error after it closes
 * too, which costs that client one reconnection.
 */
public final class CloseAfterUnreadBody implements WebFilter, Ordered {

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!declaresBody(request.getHeaders())) {
            return chain.filter(exchange);
        }
        AtomicBoolean readToEnd = new AtomicBoolean();
        exchange.getResponse().beforeCommit(() -> Mono.fromRunnable(() -> {
            HttpStatusCode status = exchange.getResponse().getStatusCode();
            if (status != null && status.isError() && !readToEnd.get()) {
                exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
            }
        }));
        ServerHttpRequest watched = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody().doOnComplete(() -> readToEnd.set(true));
            }
        };
        return chain.filter(exchange.mutate().request(watched).build());
    }

    static boolean declaresBody(HttpHeaders headers) {
        return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }
}
