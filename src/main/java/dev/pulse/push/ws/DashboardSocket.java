package dev.pulse.push.ws;

import dev.pulse.projection.DetectionQueries;
import dev.pulse.projection.DetectionRow;
import dev.pulse.projection.FamilyMetricsRow;
import dev.pulse.projection.FamilyQueries;
import dev.pulse.projection.FamilySort;
import dev.pulse.push.hub.ClientOutbox;
import dev.pulse.push.hub.GoingAway;
import dev.pulse.push.hub.Shared;
import dev.pulse.push.hub.Subscription;
import dev.pulse.push.hub.UpdateHub;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code WS /ws/dashboard} (SPEC §5.3). Server to client: a {@code snapshot} first, then {@code metrics}
 * (changed families, conflated per family, at most one message per metrics interval), {@code detection}
 * (every change, in commit order, while the client keeps up), {@code status} (once per status interval),
 * {@code resync} followed by a fresh {@code snapshot} when the client fell too far behind or updates were
 * missed upstream, and {@code error} for a client message that was refused. Client to server:
 * {@code {"type":"subscribe","family_ids":[...],"min_severity":"warning"}}, answered by a snapshot under
 * the new filter. Each client has its own {@link ClientOutbox}: a slow client never slows the hub, the
 * pipeline or other clients.
 * <p>
 * The client joins the hub before the snapshot is read, so no committed change falls between the two; a
 * change that the snapshot already shows may arrive again after it (rows are replaced by id).
 */
public final class DashboardSocket implements WebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(DashboardSocket.class);
    static final int SNAPSHOT_FAMILIES = 1000;
    static final int SNAPSHOT_DETECTIONS = 50;

    /** The picture a snapshot shows, under one subscription. */
    public record Snapshot(List<FamilyMetricsRow> families, List<DetectionRow> detections) {
        public Snapshot {
            families = List.copyOf(families);
            detections = List.copyOf(detections);
        }
    }

    /** Client-message bounds. */
    public record InboundLimits(long maxMessageBytes, int maxFilterFamilies) {
    }

    private final UpdateHub hub;
    private final Function<Subscription, Mono<Snapshot>> snapshots;
    private final Flux<?> statuses;
    private final ClientOutbox.Limits limits;
    private final InboundLimits inbound;
    private final Scheduler scheduler;
    private final JsonMapper mapper;
    private final GoingAway goingAway;

    /**
     * @param snapshots reads the snapshot under a subscription (cold)
     * @param statuses  hot; each element is sent as a {@code status} message and shown in later snapshots
     * @param scheduler drives the metrics interval
     */
    public DashboardSocket(UpdateHub hub, Function<Subscription, Mono<Snapshot>> snapshots, Flux<?> statuses,
                           ClientOutbox.Limits limits, InboundLimits inbound, Scheduler scheduler, JsonMapper mapper,
                           GoingAway goingAway) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.statuses = Objects.requireNonNull(statuses, "statuses");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.inbound = Objects.requireNonNull(inbound, "inbound");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.goingAway = Objects.requireNonNull(goingAway, "goingAway");
    }

    /** The defaults of {@code pulse.live} (README), for tests that only need a socket. */
    static final ClientOutbox.Limits DEFAULT_LIMITS = new ClientOutbox.Limits(java.time.Duration.ofMillis(100), 1000, 20_000, 16);

    /**
     * A socket whose snapshot is {@code families} (whatever the subscription), no detections and no status;
     * limits are the defaults; the metrics interval runs on {@code Schedulers.parallel()} as resolved now (so
     * virtual time in a test that builds it inside {@code withVirtualTime}).
     */
    DashboardSocket(UpdateHub hub, java.util.function.Supplier<Mono<List<FamilyMetricsRow>>> families, JsonMapper mapper) {
        this(hub, subscription -> families.get().map(rows -> new Snapshot(rows, List.of())), Flux.never(), DEFAULT_LIMITS,
                new InboundLimits(16 * 1024, 1000), reactor.core.scheduler.Schedulers.parallel(), mapper, new GoingAway());
    }

    /** {@link #frames(String, ClientOutbox)} with an outbox of this socket's limits. */
    Flux<String> frames(String clientId) {
        return frames(clientId, newOutbox());
    }

    ClientOutbox newOutbox() {
        return new ClientOutbox(limits, scheduler);
    }

    /**
     * Snapshots from the projections: the most severe families (or exactly the subscribed ones) and the
     * newest active detections the subscription admits.
     */
    public static Function<Subscription, Mono<Snapshot>> snapshotsFrom(FamilyQueries families, DetectionQueries detections) {
        return subscription -> {
            Mono<List<FamilyMetricsRow>> rows = subscription.familyIds() == null
                    ? families.list(null, FamilySort.Order.DEFAULT, SNAPSHOT_FAMILIES, 0).collectList()
                    : families.findAll(subscription.familyIds()).collectList();
            // Read per family when the subscription names families, so a quiet family's detections are not
            // crowded out by other families' newer ones.
            Flux<DetectionRow> found = subscription.familyIds() == null
                    ? detections.list(new DetectionQueries.Filter(null, null, subscription.minSeverity(), null, false),
                            SNAPSHOT_DETECTIONS, 0)
                    : detections.listForFamilies(subscription.familyIds(), subscription.minSeverity(), SNAPSHOT_DETECTIONS);
            return Mono.zip(rows, found.filter(subscription::admits).collectList())
                    .map(both -> new Snapshot(both.getT1(), both.getT2()));
        };
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        ClientOutbox outbox = newOutbox();
        // The frames never end while the server runs; when it stops they end, and the socket closes with 1001.
        Mono<Void> send = session.send(goingAway.until(textFrames(session.getId(), outbox))
                        .map(frame -> new WebSocketMessage(WebSocketMessage.Type.TEXT, frame.write(session.bufferFactory()))))
                .then(Mono.defer(() -> session.close(CloseStatus.GOING_AWAY)));
        Mono<Void> receive = session.receive().doOnNext(message -> receive(outbox, message)).then();
        return Mono.when(send, receive);
    }

    /** Answers one client frame; never throws, so a bad frame never closes the socket. */
    void receive(ClientOutbox outbox, WebSocketMessage message) {
        switch (message.getType()) {
            case TEXT -> accept(outbox, message.getPayloadAsText());
            case BINARY -> outbox.offerError("unsupported_frame", "binary frames are not accepted; send JSON text");
            default -> { } // ping and pong are the transport's business
        }
    }

    void accept(ClientOutbox outbox, String text) {
        ClientMessage parsed = ClientMessage.parse(text, mapper, inbound.maxMessageBytes(), inbound.maxFilterFamilies());
        if (parsed instanceof ClientMessage.Subscribe subscribe) {
            outbox.subscribe(subscribe.subscription());
        } else {
            ClientMessage.Refused refused = (ClientMessage.Refused) parsed;
            log.debug("dashboard client message refused: {} ({})", refused.error(), refused.detail());
            outbox.offerError(refused.error(), refused.detail());
        }
    }

    /** {@link #textFrames} as text. */
    Flux<String> frames(String clientId, ClientOutbox outbox) {
        return textFrames(clientId, outbox).map(TextFrame::text);
    }

    /**
     * The frames one client receives. Cold; subscribing joins the hub and the status feed first and reads
     * the snapshot second. Never completes while the hub lives; errors when a snapshot cannot be read (the
     * socket then closes and the client reconnects).
     */
    Flux<TextFrame> textFrames(String clientId, ClientOutbox outbox) {
        return Flux.defer(() -> {
            AtomicReference<Object> latestStatus = new AtomicReference<>(Map.of());
            Disposable feed = hub.updates().subscribe(outbox::offer);
            Disposable status = statuses.subscribe(s -> {
                latestStatus.set(s);
                outbox.offerStatus(s);
            });
            Function<Subscription, Mono<TextFrame>> snapshot = subscription -> Mono.defer(() -> snapshots.apply(subscription))
                    .map(s -> snapshotFrame(s, latestStatus.get()));
            return snapshot.apply(outbox.subscription())
                    .concatWith(outbox.messages().concatMap(message -> frames(message, snapshot)))
                    .doFinally(signal -> {
                        feed.dispose();
                        status.dispose();
                        if (outbox.resyncs() > 0) {
                            log.debug("dashboard client {} left after {} resyncs", clientId, outbox.resyncs());
                        }
                    });
        });
    }

    private Flux<TextFrame> frames(ClientOutbox.Message message, Function<Subscription, Mono<TextFrame>> snapshot) {
        if (message instanceof ClientOutbox.ResyncDue resync) {
            // Everything the client was waiting for was discarded: a snapshot read now covers it.
            return Flux.concat(Mono.just(TextFrame.of(write(Map.of("type", "resync")))), snapshot.apply(resync.subscription()));
        }
        if (message instanceof ClientOutbox.SnapshotDue due) {
            return snapshot.apply(due.subscription()).flux();
        }
        return Flux.just(frame(message));
    }

    private TextFrame frame(ClientOutbox.Message message) {
        if (message instanceof ClientOutbox.MetricsMessage metrics) {
            // Assembled from each row's shared JSON (encoded once for every client), not encoded per client.
            List<byte[]> rows = new java.util.ArrayList<>(metrics.families().size());
            for (Shared<FamilyMetricsRow> row : metrics.families()) {
                rows.add(row.json(this::write));
            }
            return TextFrame.joined("{\"type\":\"metrics\",\"families\":[", rows, "]}");
        }
        if (message instanceof ClientOutbox.DetectionMessage detection) {
            // {"type":"detection", "status":"active"|"retracted", ...the detection's fields} (SPEC §5.3, §7):
            // the detection's shared JSON object with the type put first.
            return TextFrame.typedObject("{\"type\":\"detection\",", detection.detection().json(this::write));
        }
        if (message instanceof ClientOutbox.TrendingMessage trending) {
            return TextFrame.typedObject("{\"type\":\"trending\",", trending.trending().json(this::write));
        }
        if (message instanceof ClientOutbox.StatusMessage status) {
            return TextFrame.of(write(typed("status", status.status())));
        }
        ClientOutbox.ErrorMessage error = (ClientOutbox.ErrorMessage) message;
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "error");
        frame.put("error", error.error());
        frame.put("detail", error.detail());
        return TextFrame.of(write(frame));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> typed(String type, Object body) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", type);
        frame.putAll(mapper.convertValue(body, Map.class));
        return frame;
    }

    private TextFrame snapshotFrame(Snapshot snapshot, Object status) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "snapshot");
        frame.put("families", snapshot.families());
        frame.put("detections", snapshot.detections());
        frame.put("status", status);
        return TextFrame.of(write(frame));
    }

    /** The message's JSON, written as UTF-8 bytes: frames are sent as bytes, never held as text. */
    private byte[] write(Object message) {
        return mapper.writeValueAsBytes(message);
    }
}
