package dev.pulse.api;

import dev.pulse.projection.DetectionQueries;
import dev.pulse.projection.DetectionRow;
import dev.pulse.push.relay.CommittedUpdates;
import dev.pulse.push.relay.UpdateRelay;
import dev.pulse.rules.Severity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code GET /api/detections} and {@code POST /api/detections/{id}/actions} (SPEC §5.1). */
@RestController
@Tag(name = "detections", description = "pattern detections (SPEC §3.3)")
class DetectionController {

    private final DetectionQueries detections;
    private final InstantSource clock;
    private final UpdateRelay relay;
    private final TransactionalOperator transactions;

    DetectionController(DetectionQueries detections, InstantSource clock, UpdateRelay relay,
                        ReactiveTransactionManager transactionManager) {
        this.detections = detections;
        this.clock = clock;
        this.relay = relay;
        this.transactions = TransactionalOperator.create(transactionManager);
    }

    /**
     * Newest first. {@code severity} keeps that severity and above; retracted detections are left out
     * unless {@code status=all} (SPEC §7).
     */
    @GetMapping("/api/detections")
    @Operation(summary = "Detections, newest first",
            description = "Ordered by detected_at, then detection_id, both descending. Retracted detections only with status=all.")
    @ApiResponse(responseCode = "200", description = "the detections of this page",
            content = @Content(mediaType = "application/json", array = @ArraySchema(schema = @Schema(implementation = DetectionRow.class))))
    @ApiResponse(responseCode = "400", description = "a parameter is invalid; the detail names it",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    Flux<DetectionRow> list(@Parameter(description = "keep only this family's detections")
                            @RequestParam(name = "family_id", required = false) String familyId,
                            @Parameter(description = "keep only this pattern", example = "duplicate_payment")
                            @RequestParam(required = false) String pattern,
                            @Parameter(description = "keep this severity and above",
                                    schema = @Schema(type = "string", allowableValues = {"info", "watch", "warning", "critical"}))
                            @RequestParam(required = false) String severity,
                            @Parameter(description = "keep detections detected at or after this instant",
                                    schema = @Schema(type = "string", format = "date-time", example = "2026-11-23T09:00:00Z"))
                            @RequestParam(required = false) String since,
                            @Parameter(description = "active: only detections that stand; all: retracted ones too",
                                    schema = @Schema(type = "string", defaultValue = "active", allowableValues = {"active", "all"}))
                            @RequestParam(required = false) String status,
                            @Parameter(description = "page size",
                                    schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "10000", defaultValue = "100"))
                            @RequestParam(required = false) String limit,
                            @Parameter(description = "rows to skip",
                                    schema = @Schema(type = "integer", format = "int64", minimum = "0", defaultValue = "0"))
                            @RequestParam(required = false) String offset) {
        Severity minSeverity = blank(severity) ? null : Severity.fromWireName(severity).orElseThrow(() ->
                new ApiErrors.BadRequestException("severity must be one of "
                        + Arrays.stream(Severity.values()).map(Severity::wireName).collect(Collectors.joining(", "))
                        + ", was '" + severity + "'"));
        Instant from = null;
        if (!blank(since)) {
            try {
                from = Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw new ApiErrors.BadRequestException("since must be an ISO-8601 instant like 2026-11-23T09:00:00Z, was '" + since + "'");
            }
        }
        if (!blank(status) && !status.equals("all") && !status.equals("active")) {
            throw new ApiErrors.BadRequestException("status must be active or all, was '" + status + "'");
        }
        int pageSize = (int) FamilyController.integer("limit", limit, FamilyController.DEFAULT_LIMIT, 1, FamilyController.MAX_LIMIT);
        long skip = FamilyController.integer("offset", offset, 0, 0, Long.MAX_VALUE);
        return detections.list(new DetectionQueries.Filter(blank(familyId) ? null : familyId, blank(pattern) ? null : pattern,
                minSeverity, from, "all".equals(status)), pageSize, skip);
    }

    /** The body of {@code POST /api/detections/{id}/actions}. */
    @Schema(name = "ActionRequest", requiredProperties = "action_type")
    record ActionRequest(@Schema(description = "what was done, e.g. acknowledged", maxLength = 100, example = "acknowledged")
                         String actionType,
                         @Schema(description = "free text: the outcome", maxLength = 2000, example = "called the family")
                         String actionResult) {
    }

    @PostMapping("/api/detections/{id}/actions")
    @Operation(summary = "Mark a detection handled", description = "Records the action on the detection and answers the detection. "
            + "The changed detection is pushed to every dashboard of every instance as a detection message carrying the action.")
    @ApiResponse(responseCode = "200", description = "the detection with the action recorded",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = DetectionRow.class)))
    @ApiResponse(responseCode = "400", description = "action_type missing or a field too long, or the body is not JSON",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "no detection with this id",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    Mono<DetectionRow> act(@Parameter(description = "the detection id") @PathVariable String id, @RequestBody ActionRequest action) {
        if (action == null || blank(action.actionType())) {
            throw new ApiErrors.BadRequestException("action_type is required, e.g. {\"action_type\": \"acknowledged\"}");
        }
        if (action.actionType().length() > 100 || (action.actionResult() != null && action.actionResult().length() > 2000)) {
            throw new ApiErrors.BadRequestException("action_type must be at most 100 and action_result at most 2000 characters");
        }
        // The action and its announcement commit together, as a checkpoint's updates do: every instance's
        // relay hears the acted-on detection exactly when it is stored, and pushes it to its dashboards, where
        // an acknowledged alert leaves the open feed (SPEC §5.4).
        return detections.recordAction(id, action.actionType(), action.actionResult(), clock.instant())
                .flatMap(row -> relay.announce(new CommittedUpdates(List.of(), List.of(row))).thenReturn(row))
                .as(transactions::transactional)
                .switchIfEmpty(Mono.error(() -> new ApiErrors.NotFoundException("no detection with id '" + id + "'")));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
