package dev.pulse.push.ws;

import dev.pulse.projection.FamilyMetricsRow;
import dev.pulse.projection.FamilyQueries;
import dev.pulse.projection.FamilySort;
import dev.pulse.push.hub.UpdateHub;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code WS /ws/dashboard} (SPEC §5.3): a {@code snapshot} first, then a {@code metrics} message per
 * committed batch that changed families. The client subscribes to the hub before the snapshot is read,
 * so no committed change can fall between the two; a change seen twice is harmless (rows are replaced).
 */
public final class DashboardSocket implements WebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(DashboardSocket.class);
    static final int SNAPSHOT_FAMILIES = 1000;
    /** Per-client bound: a client that falls this far behind loses the oldest updates, never the pipeline's pace. */
    static final int MAX_PENDING_MESSAGES = 256;

    private final UpdateHub hub;
    private final FamilyQueries families;
    private final JsonMapper mapper;

    public DashboardSocket(UpdateHub hub, FamilyQueries families, JsonMapper mapper) {
        this.hub = hub;
        this.families = families;
        this.mapper = mapper;
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        Flux<String> updates = hub.metrics()
                .onBackpressureBuffer(MAX_PENDING_MESSAGES,
                        dropped -> log.debug("dashboard client {} is behind; dropped an update", session.getId()),
                        BufferOverflowStrategy.DROP_OLDEST)
                .map(rows -> write(Map.of("type", "metrics", "families", rows)));
        Mono<String> snapshot = families.list(null, FamilySort.Order.DEFAULT, SNAPSHOT_FAMILIES, 0)
                .collectList()
                .map(this::snapshot);
        // Connected now, read after the snapshot: publish() queues what arrives in between.
        var live = updates.publish();
        var connection = live.connect();
        Flux<String> outbound = snapshot.concatWith(live).doFinally(s -> connection.dispose());
        Mono<Void> send = session.send(outbound.map(session::textMessage));
        // Inbound frames (subscribe filters) arrive with the live-delivery work; drain them so the socket stays healthy.
        Mono<Void> receive = session.receive().then();
        return Mono.when(send, receive);
    }

    private String snapshot(List<FamilyMetricsRow> rows) {
        return write(Map.of("type", "snapshot", "families", rows, "detections", List.of(), "status", Map.of()));
    }

    private String write(Object message) {
        return mapper.writeValueAsString(message);
    }
}
