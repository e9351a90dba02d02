package dev.pulse.api;

import dev.pulse.projection.CounterQueries;
import dev.pulse.projection.CounterRowView;
import dev.pulse.projection.FamilyQueries;
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
    Flux<CounterRowView> list(@PathVariable String id,
                              @RequestParam(name = "window_type", required = false) String windowType,
                              @RequestParam(required = false) String size,
                              @RequestParam(name = "event_type", required = false) String eventType,
                              @RequestParam(required = false) String from,
                              @RequestParam(required = false) String to,
                              @RequestParam(required = false) String limit,
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
