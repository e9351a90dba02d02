package dev.pulse.ops;

import dev.pulse.push.LongLivedRequests;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * {@code pulse.clients.connected{transport="websocket"|"sse"}} (SPEC §5.6): live connections to the dashboard socket
 * and the SSE streams of this instance. Counted from the request until the connection ends ({@link
 * LongLivedRequests#untilEnd}): an SSE stream until its response ends, a WebSocket until its session ends (the client
 * left or the server stopped), not with its exchange, which ends with the handshake. Counted here, at the edge, so
 * that the push code does not need to know about meters.
 */
public final class ConnectedClients implements WebFilter {

    private final AtomicInteger sockets = new AtomicInteger();
    private final AtomicInteger streams = new AtomicInteger();

    public ConnectedClients(MeterRegistry registry) {
        Gauge.builder("pulse.clients.connected", sockets, AtomicInteger::get).tag("transport", "websocket")
                .description("open connections of this instance, by transport").register(registry);
        Gauge.builder("pulse.clients.connected", streams, AtomicInteger::get).tag("transport", "sse")
                .description("open connections of this instance, by transport").register(registry);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        AtomicInteger counter = counterFor(exchange);
        if (counter == null) {
            return chain.filter(exchange);
        }
        return Mono.defer(() -> {
            counter.incrementAndGet();
            return LongLivedRequests.untilEnd(exchange, chain.filter(exchange), counter::decrementAndGet);
        });
    }

    private AtomicInteger counterFor(ServerWebExchange exchange) {
        LongLivedRequests.Transport transport = LongLivedRequests.transportOf(exchange);
        if (transport == null) {
            return null;
        }
        return transport == LongLivedRequests.Transport.WEBSOCKET ? sockets : streams;
    }
}
