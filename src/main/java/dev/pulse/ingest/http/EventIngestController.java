package dev.pulse.ingest.http;

import dev.pulse.config.IngestProperties;
import dev.pulse.event.Event;
import dev.pulse.event.Validated;
import dev.pulse.ingest.EventJson;
import dev.pulse.ingest.kafka.EventLogSender;
import dev.pulse.ingest.kafka.OutgoingRecord;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/events} (SPEC §1.3, §7): one object, an array, or NDJSON. The body is parsed as it
 * streams in; valid events are appended to the log in request order and the answer is sent only once
 * the broker has them. Invalid records are listed by index and never stop the valid ones.
 */
@RestController
@Tag(name = "events", description = "ingestion over HTTP (SPEC §1.3)")
class EventIngestController {

    private static final Logger log = LoggerFactory.getLogger(EventIngestController.class);
    static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    /**
     * Past the limit the rest of the body is read and discarded, so that the client gets its 413 instead
     * of a reset connection; beyond this many more bytes the connection is dropped instead.
     */
    private static final long MAX_DISCARDED_BYTES = 64L * 1024 * 1024;

    private final EventJson json;
    private final EventLogSender eventLog;
    private final IngestProperties limits;
    private final long maxEventBytes;
    private final Counter acceptedRecords;
    private final Counter rejectedRecords;

    EventIngestController(EventJson json, EventLogSender sender, IngestProperties limits, MeterRegistry registry) {
        this.json = json;
        this.eventLog = sender;
        this.limits = limits;
        this.maxEventBytes = limits.maxEventSize().toBytes();
        // SPEC §5.6 "events in" over HTTP; bodies refused whole show in http_server_requests by status
        this.acceptedRecords = Counter.builder("pulse.ingest.events").tag("outcome", "accepted")
                .description("records of POST /api/events: accepted (the broker has them) or rejected (listed in the answer)")
                .register(registry);
        this.rejectedRecords = Counter.builder("pulse.ingest.events").tag("outcome", "rejected")
                .description("records of POST /api/events: accepted (the broker has them) or rejected (listed in the answer)")
                .register(registry);
    }

    // The body is read from the raw request (streamed, bounded), so the OpenAPI document learns its
    // media types and shape from these annotations rather than from a parameter.
    @PostMapping("/api/events")
    @Operation(summary = "Append events to the log",
            description = "One event object, a JSON array of them, or NDJSON (application/x-ndjson). Valid events are kept "
                    + "even when others are refused, appended in request order; the answer comes once the broker has them. "
                    + "At most pulse.ingest.max-body-size (16 MiB) and pulse.ingest.max-events-per-request (100,000); "
                    + "each event at most pulse.ingest.max-event-size (64 KiB as JSON) with strings of at most "
                    + "pulse.ingest.max-string-length (10,000) characters, or it is refused on its own.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    description = "event(s) in the wire format of SPEC §1.1 (snake_case)",
                    content = {
                            @Content(mediaType = "application/json", schema = @Schema(type = "object"),
                                    examples = @ExampleObject(value = """
                                            {"event_id": "0b7e6d1e-3f7a-4a57-9a31-6f0c1b2a9e11",
                                             "event_type": "EngagementScoreUpdated",
                                             "aggregate_id": "family-123",
                                             "event_timestamp": "2026-11-23T09:10:00.000Z",
                                             "event_data": {"new_score": 42}}""")),
                            @Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string",
                                    description = "one event object per line"))}))
    @ApiResponse(responseCode = "202", description = "the broker has every valid event; refused records are listed by index",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = IngestResponse.class)))
    @ApiResponse(responseCode = "400", description = "nothing valid (the body lists why), an empty body, malformed JSON, or "
            + "JSON over a parser limit (nesting deeper than 64, a number over 1000 characters; then the body is {error, detail})",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = IngestResponse.class)))
    @ApiResponse(responseCode = "413", description = "the body exceeds the size or event-count limit",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = dev.pulse.api.ApiError.class)))
    @ApiResponse(responseCode = "503", description = "the event log (Kafka) did not take the events; nothing was stored",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = dev.pulse.api.ApiError.class)))
    Mono<ResponseEntity<Object>> ingest(ServerHttpRequest request) {
        long declared = request.getHeaders().getContentLength();
        long maxBytes = limits.maxBodySize().toBytes();
        if (declared > maxBytes + MAX_DISCARDED_BYTES) {
            return Mono.just(tooLarge("request body of " + declared + " bytes exceeds " + maxBytes + " bytes"));
        }
        boolean ndjson = NDJSON.isCompatibleWith(request.getHeaders().getContentType());
        return Mono.defer(() -> read(request, ndjson, maxBytes))
                .flatMap(this::accept)
                .onErrorResume(BodyRecords.TooLargeException.class, e -> Mono.just(tooLarge(e.getMessage())))
                .onErrorResume(EventJson.LimitExceededException.class, e -> Mono.just(
                        badRequest("limit exceeded", "the body breaks a JSON limit, nothing was stored: " + e.getMessage())))
                .onErrorResume(EventJson.MalformedJsonException.class, e -> Mono.just(
                        badRequest("malformed JSON", "the body is not valid JSON: " + e.getMessage())));
    }

    private Mono<List<Object>> read(ServerHttpRequest request, boolean ndjson, long maxBytes) {
        BodyRecords records = new BodyRecords(json, ndjson, maxBytes, limits.maxEventsPerRequest());
        RuntimeException[] tooLarge = {null};
        long[] discarded = {0};
        return request.getBody()
                .doOnNext(buffer -> {
                    try {
                        if (tooLarge[0] != null) {
                            discarded[0] += buffer.readableByteCount();
                            if (discarded[0] > MAX_DISCARDED_BYTES) {
                                throw tooLarge[0];
                            }
                            return;
                        }
                        records.feed(bytesOf(buffer));
                    } catch (BodyRecords.TooLargeException e) {
                        tooLarge[0] = e;
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                .then(Mono.fromCallable(() -> {
                    if (tooLarge[0] != null) {
                        throw tooLarge[0];
                    }
                    return records.finish();
                }));
    }

    private Mono<ResponseEntity<Object>> accept(List<Object> records) {
        if (records.isEmpty()) {
            return Mono.just(badRequest("no events", "the body holds no events"));
        }
        List<OutgoingRecord> valid = new ArrayList<>(records.size());
        List<IngestResponse.RejectedRecord> rejected = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Object record = records.get(i);
            if (record instanceof BodyRecords.UnparseableLine line) {
                rejected.add(new IngestResponse.RejectedRecord(i, line.error()));
                continue;
            }
            Validated validated = json.validate(record);
            if (validated instanceof Validated.Valid ok) {
                Event event = ok.event();
                @SuppressWarnings("unchecked")
                Map<String, Object> raw = (Map<String, Object>) record;
                // The record goes to the log as it came (unknown fields too): consumers validate again.
                byte[] value = json.write(raw);
                if (value.length > maxEventBytes) {
                    rejected.add(new IngestResponse.RejectedRecord(i, "record: must be at most " + maxEventBytes
                            + " bytes as JSON (pulse.ingest.max-event-size), was " + value.length));
                    continue;
                }
                valid.add(OutgoingRecord.of(event.aggregateId(), value));
            } else {
                rejected.add(new IngestResponse.RejectedRecord(i, ((Validated.Invalid) validated).rejection().message()));
            }
        }
        rejectedRecords.increment(rejected.size());
        if (valid.isEmpty()) {
            return Mono.just(ResponseEntity.badRequest().body(new IngestResponse("no valid events",
                    rejected.size() + " record(s), none valid", 0, rejected)));
        }
        return eventLog.appendEvents(valid)
                .doOnSuccess(done -> acceptedRecords.increment(valid.size()))
                .thenReturn(ResponseEntity.status(HttpStatus.ACCEPTED)
                        .<Object>body(IngestResponse.accepted(valid.size(), rejected)))
                .onErrorResume(e -> {
                    log.warn("could not append {} events to the log", valid.size(), e);
                    return Mono.just(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                            .body(new dev.pulse.api.ApiError("event log unavailable", "the events were not stored: " + e.getMessage())));
                });
    }

    private static byte[] bytesOf(DataBuffer buffer) {
        byte[] bytes = new byte[buffer.readableByteCount()];
        buffer.read(bytes);
        return bytes;
    }

    private static ResponseEntity<Object> tooLarge(String detail) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(new dev.pulse.api.ApiError("payload too large", detail));
    }

    private static ResponseEntity<Object> badRequest(String error, String detail) {
        return ResponseEntity.badRequest().body(new dev.pulse.api.ApiError(error, detail));
    }
}
