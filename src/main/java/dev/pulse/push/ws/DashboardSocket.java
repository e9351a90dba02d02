package dev.pulse.push.ws;

import dev.pulse.projection.DetectionQueries;
import dev.pulse.projection.DetectionRow;
import dev.pulse.projection.FamilyMetricsRow;
import dev.pulse.projection.FamilyQueries;
import dev.pulse.projection.FamilySort;
import dev.pulse.push.hub.UpdateHub;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code WS /ws/dashboard} (SPEC §5.3): a {@code snapshot} first, then a {@code metrics} message per
 * committed batch that changed families, a {@code detection} message per detection change, and, when the
 * hub says updates may have been missed, {@code resync} followed by a fresh {@code snapshot}. The client
 * subscribes to the hub before the snapshot is read, so no committed change can fall between the two; a
 * change seen twice is harmless (rows are replaced).
 */
public final class DashboardSocket implements WebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(DashboardSocket.class);
    static final int SNAPSHOT_FAMILIES = 1000;
    static final int SNAPSHOT_DETECTIONS = 50;
    /**
     * Per-client bound: updates beyond it are dropped for that client only, so a slow client never slows
     * the pipeline or other clients (conflation and resync arrive with the full protocol of SPEC §5.3).
     */
    static final int MAX_PENDING_MESSAGES = 256;

    private final UpdateHub hub;
    private final Supplier<Mono<List<FamilyMetricsRow>>> snapshot;
    private final Supplier<Mono<List<DetectionRow>>> recentDetections;
    private final JsonMapper mapper;

    public DashboardSocket(UpdateHub hub, FamilyQueries families, DetectionQueries detections, JsonMapper mapper) {
        this(hub, () -> families.list(null, FamilySort.Order.DEFAULT, SNAPSHOT_FAMILIES, 0).collectList(),
                () -> detections.list(DetectionQueries.Filter.ACTIVE, SNAPSHOT_DETECTIONS, 0)
                        .collectList(),
                mapper);
    }

    DashboardSocket(UpdateHub hub, Supplier<Mono<List<FamilyMetricsRow>>> snapshot, JsonMapper mapper) {
        this(hub, snapshot, () -> Mono.just(List.of()), mapper);
    }

    DashboardSocket(UpdateHub hub, Supplier<Mono<List<FamilyMetricsRow>>> snapshot,
                    Supplier<Mono<List<DetectionRow>>> recentDetections, JsonMapper mapper) {
        this.hub = hub;
        this.snapshot = snapshot;
        this.recentDetections = recentDetections;
        this.mapper = mapper;
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        Mono<Void> send = session.send(frames(session.getId()).map(session::textMessage));
        // Inbound frames (subscribe filters) arrive with the live-delivery work; drain them so the socket stays healthy.
        Mono<Void> receive = session.receive().then();
        return Mono.when(send, receive);
    }

    /**
     * The frames one client receives: the snapshot, then one frame per hub update ({@code resync} brings a
     * new snapshot after it).
     * Cold; subscribing joins the hub first and reads the snapshot second, so nothing committed in
     * between is missed. Never completes while the hub lives.
     */
    Flux<String> frames(String clientId) {
        return Flux.defer(() -> {
            // The client's own bounded outbox, fed by the hub from the moment of subscription: updates
            // committed while the snapshot is read wait here instead of being lost.
            Sinks.Many<UpdateHub.Update> outbox = Sinks.many().unicast()
                    .onBackpressureBuffer(Queues.<UpdateHub.Update>get(MAX_PENDING_MESSAGES).get());
            Disposable feed = hub.updates().subscribe(update -> {
                if (outbox.tryEmitNext(update).isFailure()) {
                    log.debug("dashboard client {} is {} updates behind; dropped one", clientId, MAX_PENDING_MESSAGES);
                }
            });
            Mono<String> snapshotFrame = Mono.defer(() -> Mono.zip(snapshot.get(), recentDetections.get()))
                    .map(both -> snapshot(both.getT1(), both.getT2()));
            return snapshotFrame
                    .concatWith(outbox.asFlux().concatMap(update -> update instanceof UpdateHub.Resync
                            // Updates may have been lost upstream: a fresh snapshot, read after the resync was
                            // published, covers everything committed before it (later updates queue behind it).
                            ? Flux.concat(Mono.just(write(Map.of("type", "resync"))), snapshotFrame)
                            : Mono.just(frame(update))))
                    .doFinally(signal -> feed.dispose());
        });
    }

    private String frame(UpdateHub.Update update) {
        if (update instanceof UpdateHub.Metrics metrics) {
            return write(Map.of("type", "metrics", "families", metrics.families()));
        }
        // {"type":"detection", "status": "active"|"retracted", ...the detection's fields} (SPEC §5.3, §7)
        DetectionRow detection = ((UpdateHub.DetectionUpdate) update).detection();
        Map<String, Object> frame = new java.util.LinkedHashMap<>(mapper.convertValue(detection, Map.class));
        frame.put("type", "detection");
        return write(frame);
    }

    private String snapshot(List<FamilyMetricsRow> rows, List<DetectionRow> detections) {
        return write(Map.of("type", "snapshot", "families", rows, "detections", detections, "status", Map.of()));
    }

    private String write(Object message) {
        return mapper.writeValueAsString(message);
    }
}
