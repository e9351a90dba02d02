package dev.pulse.api;

import dev.pulse.family.AlertLevel;
import dev.pulse.projection.FamilyMetricsRow;
import dev.pulse.projection.FamilyQueries;
import dev.pulse.projection.FamilySort;
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
class FamilyController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    private final FamilyQueries families;

    FamilyController(FamilyQueries families) {
        this.families = families;
    }

    @GetMapping("/api/families")
    Flux<FamilyMetricsRow> list(@RequestParam(name = "alert_level", required = false) String alertLevel,
                                @RequestParam(required = false) String sort,
                                @RequestParam(required = false) String limit,
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
    Mono<FamilyMetricsRow> one(@PathVariable String id) {
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
