package dev.pulse.api;

import dev.pulse.projection.CounterQueries;
import dev.pulse.projection.CounterRowView;
import dev.pulse.projection.FamilyQueries;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code GET /api/families/{id}/counters} (SPEC §3.2, §5.1, §7). */
@RestController
@Tag(name = "families")
class CounterController {

    static final List<String> WINDOW_TYPES = List.of("tumbling", "sliding", "session", "count");

    private final CounterQueries counters;
    private final FamilyQueries families;

    CounterController(CounterQueries counters, FamilyQueries families) {
        this.counters = counters;
        this.families = families;
    }

    /**
     * The family's counter rows, newest window first. Filters are optional and combine: {@code window_type},
     * {@code size} (the configuration shorthand: {@code 1m}, {@code 1h/5m}, {@code 30m}, {@code 5/1}),
     * {@code event_type} ({@code *} for session rows), and {@code window_start} in {@code [from, to)}.
     * Parameters are checked first ({@code 400} naming the parameter), then the family ({@code 404} when
     * it has no metrics row, i.e. no event of it was ever processed).
     */
    @GetMapping("/api/families/{id}/counters")
    @Operation(summary = "A family's counter rows, newest window first",
            description = "Filters are optional and combine; window_start must lie in [from, to). Parameters are checked "
                    + "before the family, so a bad parameter answers 400 even for an unknown family.")
    @ApiResponse(responseCode = "200", description = "the rows of this page",
            content = @Content(mediaType = "application/json", array = @ArraySchema(schema = @Schema(implementation = CounterRowView.class))))
    @ApiResponse(responseCode = "400", description = "a parameter is invalid; the detail names it",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "no event of this family was ever processed",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    Flux<CounterRowView> list(@Parameter(description = "the family id") @PathVariable String id,
                              @Parameter(description = "keep only this window kind",
                                      schema = @Schema(type = "string", allowableValues = {"tumbling", "sliding", "session", "count"}))
                              @RequestParam(name = "window_type", required = false) String windowType,
                              @Parameter(description = "window size as configured: 1m, 1h, 30m (session gap), 1h/5m (sliding "
                                      + "size/period), 5/1 (count size/slide)", example = "1m")
                              @RequestParam(required = false) String size,
                              @Parameter(description = "keep only this event type; session rows have '*'", example = "PaymentReceived")
                              @RequestParam(name = "event_type", required = false) String eventType,
                              @Parameter(description = "window_start at or after this instant",
                                      schema = @Schema(type = "string", format = "date-time", example = "2026-11-23T09:00:00Z"))
                              @RequestParam(required = false) String from,
                              @Parameter(description = "window_start before this instant; must not be before from",
                                      schema = @Schema(type = "string", format = "date-time", example = "2026-11-23T10:00:00Z"))
                              @RequestParam(required = false) String to,
                              @Parameter(description = "page size",
                                      schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "10000", defaultValue = "100"))
                              @RequestParam(required = false) String limit,
                              @Parameter(description = "rows to skip",
                                      schema = @Schema(type = "integer", format = "int64", minimum = "0", defaultValue = "0"))
                              @RequestParam(required = false) String offset) {
        if (!blank(windowType) && !WINDOW_TYPES.contains(windowType)) {
            throw new ApiErrors.BadRequestException("window_type must be one of " + String.join(", ", WINDOW_TYPES)
                    + ", was '" + windowType + "'");
        }
        Instant fromInstant = instant("from", from);
        Instant toInstant = instant("to", to);
        if (fromInstant != null && toInstant != null && fromInstant.isAfter(toInstant)) {
            throw new ApiErrors.BadRequestException("from must not be after to, was from=" + from + ", to=" + to);
        }
        int pageSize = (int) FamilyController.integer("limit", limit, FamilyController.DEFAULT_LIMIT, 1, FamilyController.MAX_LIMIT);
        long skip = FamilyController.integer("offset", offset, 0, 0, Long.MAX_VALUE);
        return families.find(id)
                .switchIfEmpty(Mono.error(() -> new ApiErrors.NotFoundException("no family with id '" + id + "'")))
                .thenMany(counters.list(id, blank(windowType) ? null : windowType, blank(size) ? null : size.strip(),
                        blank(eventType) ? null : eventType, fromInstant, toInstant, pageSize, skip));
    }

    private static Instant instant(String name, String text) {
        if (blank(text)) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new ApiErrors.BadRequestException(name + " must be an ISO-8601 instant like 2026-11-23T09:00:00Z, was '" + text + "'");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
