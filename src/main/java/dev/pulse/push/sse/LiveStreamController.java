package dev.pulse.push.sse;

import dev.pulse.projection.DetectionEvents;
import dev.pulse.projection.FamilyQueries;
import dev.pulse.push.hub.ClientOutbox;
import dev.pulse.push.hub.GoingAway;
import dev.pulse.push.hub.Subscription;
import dev.pulse.push.hub.UpdateHub;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Server-Sent Events (SPEC §5.2): {@code GET /api/stream/detections} and {@code GET /api/stream/metrics}.
 * Both send a heartbeat comment at once and then every heartbeat interval, so idle connections stay open
 * through proxies and a client sees the stream open before the first event.
 */
@RestController
public class LiveStreamController {

    /** Settings of the SSE endpoints; {@code limits} bound each metrics client's outbox. */
    public record Settings(Duration heartbeat, ClientOutbox.Limits limits, int maxFilterFamilies, Scheduler scheduler,
                           GoingAway goingAway) {
    }

    /** The last thing a stream sends when the server stops: it ended on purpose, and how to go on. */
    static final String GOING_AWAY = "server going away; reconnect (with Last-Event-ID for detections)";

    private final DetectionFeed detections;
    private final UpdateHub hub;
    private final FamilyQueries families;
    private final Settings settings;

    public LiveStreamController(DetectionFeed detections, UpdateHub hub, FamilyQueries families, Settings settings) {
        this.detections = detections;
        this.hub = hub;
        this.families = families;
        this.settings = settings;
    }

    /**
     * One event per detection change: {@code event: detection} (emitted or updated) or {@code event: retraction}
     * (SPEC §7), {@code id} its sequence number, {@code data} the detection as it was after the change. With
     * {@code Last-Event-ID}, every change after that id first, then live ones; without, live ones from now.
     */
    @GetMapping(path = "/api/stream/detections", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> detections(
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        Flux<ServerSentEvent<Object>> changes;
        if (lastEventId == null || lastEventId.isBlank()) {
            changes = detections.latest().flatMapMany(detections::changesAfter).map(LiveStreamController::event);
        } else {
            long lastSeen = parseId(lastEventId);
            changes = detections.resumeAfter(lastSeen).flatMapMany(from -> {
                Flux<ServerSentEvent<Object>> after = detections.changesAfter(from).map(LiveStreamController::event);
                // Changes after the client's id were deleted past the log's retention: it is told so, once, before the rest.
                return from > lastSeen ? after.startWith(event("resync", java.util.Map.of("resumed_after", from, "detail",
                        "changes up to id " + from + " are past pulse.live.sse-retention; current detections: GET /api/detections")))
                        : after;
            });
        }
        return untilGoingAway(Flux.merge(heartbeats(), changes));
    }

    /**
     * {@code event: metrics} with one family's row each, conflated per family (at most one per family per
     * metrics interval); {@code family_id} (repeatable) limits the stream to those families, whose current
     * rows come first. A client too far behind gets {@code event: resync} and then only newer changes (the
     * current rows are at {@code GET /api/families}).
     */
    @GetMapping(path = "/api/stream/metrics", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> metrics(
            @RequestParam(name = "family_id", required = false) List<String> familyIds) {
        Set<String> filter = familyIds == null || familyIds.isEmpty() ? null : new LinkedHashSet<>(familyIds);
        if (filter != null && (filter.size() > settings.maxFilterFamilies()
                || filter.stream().anyMatch(id -> id.isEmpty() || id.length() > 200))) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "family_id: at most " + settings.maxFilterFamilies()
                    + " ids of 1..200 characters");
        }
        Subscription subscription = new Subscription(filter, null);
        Flux<ServerSentEvent<Object>> live = Flux.defer(() -> {
            ClientOutbox outbox = new ClientOutbox(settings.limits(), settings.scheduler());
            outbox.subscribe(subscription);
            Disposable feed = hub.updates()
                    .filter(u -> u instanceof UpdateHub.Metrics || u instanceof UpdateHub.Resync)
                    .subscribe(outbox::offer);
            Flux<ServerSentEvent<Object>> current = filter == null ? Flux.empty()
                    : families.findAll(filter).map(row -> event("metrics", row));
            return current.concatWith(outbox.messages().concatMap(message -> {
                        if (message instanceof ClientOutbox.MetricsMessage m) {
                            return Flux.fromIterable(m.rows()).map(row -> event("metrics", row));
                        }
                        if (message instanceof ClientOutbox.ResyncDue) {
                            return Flux.just(event("resync", java.util.Map.of()));
                        }
                        return Flux.empty();   // the subscription's own snapshot marker: the current rows went first
                    }))
                    .doFinally(signal -> feed.dispose());
        });
        return untilGoingAway(Flux.merge(heartbeats(), live));
    }

    private Flux<ServerSentEvent<Object>> untilGoingAway(Flux<ServerSentEvent<Object>> stream) {
        return settings.goingAway().until(stream)
                .concatWith(Mono.fromSupplier(() -> ServerSentEvent.builder().comment(GOING_AWAY).build()));
    }

    private Flux<ServerSentEvent<Object>> heartbeats() {
        // Dropped, not queued, while a client is not reading: a heartbeat only matters when it can be sent.
        return Flux.interval(Duration.ZERO, settings.heartbeat(), settings.scheduler())
                .onBackpressureDrop()
                .map(tick -> ServerSentEvent.builder().comment("heartbeat").build());
    }

    private static long parseId(String lastEventId) {
        try {
            long id = Long.parseLong(lastEventId.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                "Last-Event-ID must be an id this stream sent (a non-negative integer), was '"
                        + (lastEventId.length() > 40 ? lastEventId.substring(0, 40) + "…" : lastEventId) + "'");
    }

    private static ServerSentEvent<Object> event(DetectionEvents.Change change) {
        return ServerSentEvent.builder()
                .id(Long.toString(change.seq()))
                .event("retracted".equals(change.change()) ? "retraction" : "detection")
                .data((Object) change.detection())
                .build();
    }

    private static ServerSentEvent<Object> event(String name, Object data) {
        return ServerSentEvent.builder().event(name).data(data).build();
    }
}
