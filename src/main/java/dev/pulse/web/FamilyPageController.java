package dev.pulse.web;

import dev.pulse.projection.CounterQueries;
import dev.pulse.projection.CounterRowView;
import dev.pulse.projection.DetectionQueries;
import dev.pulse.projection.DetectionRow;
import dev.pulse.projection.FamilyMetricsRow;
import dev.pulse.projection.FamilyQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import reactor.core.publisher.Mono;

/**
 * {@code /families/{id}} (SPEC §5.4): the family's metrics, its engagement score over the last 30 days of its
 * stream time, its counter rows and its detections with their matched events, rendered by the server; the
 * page's script then keeps the metrics and detections live over the WebSocket ({@code subscribe} with this
 * family's id). An unknown family gets a 404 page.
 * <p>
 * Where the score history comes from: Pulse stores a family's current figures, not a series of them. The
 * scores themselves live on in the counter rows of {@code EngagementScoreUpdated} (SPEC §3.2: value
 * aggregates over {@code new_score}), which are never pruned, so the chart plots those of the finest tumbling
 * window configured (1 minute by default): one point per window that saw a score, its average, with a bar
 * from its minimum to its maximum when the window saw several. See {@link ScoreChart}.
 */
@Controller
class FamilyPageController {

    static final Duration CHART_RANGE = Duration.ofDays(30);
    static final int MAX_CHART_ROWS = 10_000;
    static final int PAGE_COUNTERS = 200;
    static final int PAGE_DETECTIONS = 100;
    static final String SCORE_TYPE = "EngagementScoreUpdated";

    private final FamilyQueries families;
    private final CounterQueries counters;
    private final DetectionQueries detections;

    FamilyPageController(FamilyQueries families, CounterQueries counters, DetectionQueries detections) {
        this.families = families;
        this.counters = counters;
        this.detections = detections;
    }

    @GetMapping("/families/{id}")
    Mono<String> family(@PathVariable String id, Model model, ServerHttpResponse response) {
        model.addAttribute("times", Times.INSTANCE);
        return families.find(id)
                .flatMap(row -> render(row, model))
                .switchIfEmpty(Mono.fromSupplier(() -> {
                    response.setStatusCode(HttpStatus.NOT_FOUND);
                    model.addAttribute("familyId", id);
                    return "family-missing";
                }));
    }

    private Mono<String> render(FamilyMetricsRow family, Model model) {
        String id = family.familyId();
        Instant end = family.lastEventTimestamp() != null ? family.lastEventTimestamp() : family.asOf();
        Mono<List<CounterRowView>> scores = end == null ? Mono.just(List.of())
                : counters.list(id, "tumbling", null, SCORE_TYPE, end.minus(CHART_RANGE), null, MAX_CHART_ROWS, 0).collectList();
        Mono<List<CounterRowView>> rows = counters.list(id, null, null, null, null, null, PAGE_COUNTERS, 0).collectList();
        Mono<List<DetectionRow>> found = detections.list(new DetectionQueries.Filter(id, null, null, null, true),
                PAGE_DETECTIONS, 0).collectList();
        return Mono.zip(scores, rows, found).map(all -> {
            model.addAttribute("family", family);
            model.addAttribute("chart", ScoreChart.of(all.getT1(), family.currentEngagementScore()));
            model.addAttribute("counters", all.getT2());
            model.addAttribute("detections", all.getT3());
            return "family";
        });
    }
}
