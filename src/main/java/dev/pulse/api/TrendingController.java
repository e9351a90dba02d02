package dev.pulse.api;

import dev.pulse.config.TrendingProperties;
import dev.pulse.projection.TrendingQueries;
import dev.pulse.stream.window.WindowSpec;
import dev.pulse.trending.Trending;
import dev.pulse.trending.TrendingFeed;
import dev.pulse.trending.TrendingWindow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/trending?window=} (SPEC §3.5, §5.1): the last closed window's top families and rising event
 * types. The configured window is the one pushed to dashboards; any other {@code size/slide} whose windows are
 * unions of a configured tumbling counter window is computed on request.
 */
@RestController
@Tag(name = "trending", description = "top families and rising event types of the last closed sliding window")
class TrendingController {

    private final TrendingFeed feed;
    private final TrendingWindow configured;
    private final TrendingQueries queries;
    private final TrendingProperties settings;
    private final List<WindowSpec> counterWindows;

    TrendingController(TrendingFeed feed, TrendingWindow configured, TrendingQueries queries, TrendingProperties settings,
                       dev.pulse.config.CounterProperties counters) {
        this.feed = feed;
        this.configured = configured;
        this.queries = queries;
        this.settings = settings;
        this.counterWindows = counters.specs();
    }

    @GetMapping("/api/trending")
    @Operation(summary = "Top families by events and the event types that rose most, in the last closed sliding window",
            description = "window_start and window_end are null (and the lists empty) until the stream's watermark has closed a "
                    + "window. Types rank by count / count in the window before (a type new in the window first), with at least "
                    + "pulse.trending.min-count events.")
    @ApiResponse(responseCode = "200", description = "the last closed window's trending",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Trending.class)))
    @ApiResponse(responseCode = "400", description = "window is not size/slide, or no configured tumbling counter window divides it",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "trending is off (pulse.trending.enabled=false)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    Mono<Trending> trending(@Parameter(description = "size/slide, e.g. 1h/5m (default: pulse.trending.window)")
                            @RequestParam(required = false) String window) {
        if (!settings.enabled()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "trending is off (pulse.trending.enabled=false)");
        }
        TrendingWindow asked = window == null || window.isBlank() || window.strip().equals(configured.spec().sizeLabel())
                ? configured : other(window.strip());
        Mono<Trending> found = asked == configured ? feed.latest()
                : queries.watermark().map(asked::latestClosed).flatMap(span -> queries.read(asked, span));
        return found.defaultIfEmpty(new Trending(asked.spec().sizeLabel(), null, null, List.of(), List.of()));
    }

    private TrendingWindow other(String window) {
        try {
            return TrendingWindow.over(TrendingWindow.parseSpec(window), counterWindows);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "window: " + e.getMessage());
        }
    }
}
