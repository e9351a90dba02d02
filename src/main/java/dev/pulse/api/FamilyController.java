package dev.pulse.api;


import dev.pulse.family.AlertLevel;
import dev.pulse.projection.FamilyMetricsRow;
import dev.pulse.projection.FamilyQueries;
import dev.pulse.projection.FamilySort;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code GET /api/families} and {@code GET /api/families/{id}} (SPEC §5.1). */
@RestController
@Tag(name = "families", description = "live per-family metrics (SPEC §3.1)")
class FamilyController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    private final FamilyQueries families;

    FamilyController(FamilyQueries families) {
        this.families = families;
    }

    // The parameters are read as text and checked by hand (so that a bad value gets a 400 naming it); the
    // annotations give the OpenAPI document the types, ranges and defaults that the checks enforce.
    @GetMapping("/api/families")
    @Operation(summary = "Family metrics rows, most severe first by default",
            description = "A plain JSON array; page with limit and offset. Default order: alert level (most severe first), "
                    + "then lowest score, then family_id.")
    @ApiResponse(responseCode = "200", description = "the rows of this page",
            content = @Content(mediaType = "application/json", array = @ArraySchema(schema = @Schema(implementation = FamilyMetricsRow.class))))
    @ApiResponse(responseCode = "400", description = "a parameter is invalid; the detail names it",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    Flux<FamilyMetricsRow> list(@Parameter(description = "keep only families at this alert level",
                                        schema = @Schema(type = "string", allowableValues = {"none", "watch", "warning", "critical"}))
                                @RequestParam(name = "alert_level", required = false) String alertLevel,
                                @Parameter(description = "sort key, '-' prefix for descending",
                                        schema = @Schema(type = "string", defaultValue = "severity", allowableValues = {
                                                "severity", "-severity", "score", "-score", "family_id", "-family_id",
                                                "last_event_timestamp", "-last_event_timestamp", "events_processed",
                                                "-events_processed", "events_last_7_days", "-events_last_7_days"}))
                                @RequestParam(required = false) String sort,
                                @Parameter(description = "page size",
                                        schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "10000", defaultValue = "100"))
                                @RequestParam(required = false) String limit,
                                @Parameter(description = "rows to skip",
                                        schema = @Schema(type = "integer", format = "int64", minimum = "0", defaultValue = "0"))
                                @RequestParam(required = false) String offset) {
        AlertLevel level = alertLevel == null || alertLevel.isBlank() ? null : AlertLevel.fromWireName(alertLevel)
                .orElseThrow(() -> new ApiErrors.BadRequestException("alert_level must be one of "
                        + Arrays.stream(AlertLevel.values()).map(AlertLevel::wireName).collect(Collectors.joining(", "))
                        + ", was '" + alertLevel + "'"));
        FamilySort.Order order = FamilySort.parse(sort).orElseThrow(() -> new ApiErrors.BadRequestException(
                "sort must be one of " + FamilySort.names() + " (prefix '-' for descending), was '" + sort + "'"));
        int pageSize = (int) integer("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        long skip = integer("offset", offset, 0, 0, Long.MAX_VALUE);
        return families.list(level, order, pageSize, skip);
    }

    @GetMapping("/api/families/{id}")
    @Operation(summary = "One family's metrics row")
    @ApiResponse(responseCode = "200", description = "the family's row",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = FamilyMetricsRow.class)))
    @ApiResponse(responseCode = "404", description = "no event of this family was ever processed",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    Mono<FamilyMetricsRow> one(@Parameter(description = "the family id (aggregate_id of its events)") @PathVariable String id) {
        return families.find(id)
                .switchIfEmpty(Mono.error(() -> new ApiErrors.NotFoundException("no family with id '" + id + "'")));
    }

    static long integer(String name, String text, long defaultValue, long min, long max) {
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new ApiErrors.BadRequestException(name + " must be an integer, was '" + text + "'");
        }
        if (value < min || value > max) {
            throw new ApiErrors.BadRequestException(name + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }
}
