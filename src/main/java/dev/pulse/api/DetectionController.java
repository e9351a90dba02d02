package dev.pulse.api;

import dev.pulse.projection.DetectionQueries;
import dev.pulse.projection.DetectionRow;
import dev.pulse.rules.Severity;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.stream.Collectors;
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
class DetectionController {

    private final DetectionQueries detections;
    private final InstantSource clock;

    DetectionController(DetectionQueries detections, InstantSource clock) {
        this.detections = detections;
        this.clock = clock;
    }

    /**
     * Newest first. {@code severity} keeps that severity and above; retracted detections are left out
     * unless {@code status=all} (SPEC §7).
     */
    @GetMapping("/api/detections")
    Flux<DetectionRow> list(@RequestParam(name = "family_id", required = false) String familyId,
                            @RequestParam(required = false) String pattern,
                            @RequestParam(required = false) String severity,
                            @RequestParam(required = false) String since,
                            @RequestParam(required = false) String status,
                            @RequestParam(required = false) String limit,
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
    record ActionRequest(String actionType, String actionResult) {
    }

    @PostMapping("/api/detections/{id}/actions")
    Mono<DetectionRow> act(@PathVariable String id, @RequestBody ActionRequest action) {
        if (action == null || blank(action.actionType())) {
            throw new ApiErrors.BadRequestException("action_type is required, e.g. {\"action_type\": \"acknowledged\"}");
        }
        if (action.actionType().length() > 100 || (action.actionResult() != null && action.actionResult().length() > 2000)) {
            throw new ApiErrors.BadRequestException("action_type must be at most 100 and action_result at most 2000 characters");
        }
        return detections.recordAction(id, action.actionType(), action.actionResult(), clock.instant())
                .switchIfEmpty(Mono.error(() -> new ApiErrors.NotFoundException("no detection with id '" + id + "'")));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
