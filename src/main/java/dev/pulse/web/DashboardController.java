package dev.pulse.web;

import dev.pulse.family.AlertLevel;
import dev.pulse.projection.DetectionQueries;
import dev.pulse.projection.FamilyQueries;
import dev.pulse.projection.FamilySort;
import dev.pulse.trending.TrendingFeed;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /}: the families table and the open alert feed rendered with the current state, so the page is useful
 * before (or without) any script; then the page's script keeps it live over the WebSocket (SPEC §5.4). The
 * filter form ({@code q}: part of the family id, {@code level}: one alert level) works without scripts too;
 * with scripts it filters as one types, and live rows obey it.
 */
@Controller
class DashboardController {

    static final int PAGE_FAMILIES = 1000;

    static final int PAGE_DETECTIONS = 50;

    /** The alert levels the filter offers, least severe first. */
    static final List<String> LEVELS = List.of("none", "watch", "warning", "critical");

    private final FamilyQueries families;
    private final DetectionQueries detections;
    private final TrendingFeed trending;

    DashboardController(FamilyQueries families, DetectionQueries detections, TrendingFeed trending) {
        this.families = families;
        this.detections = detections;
        this.trending = trending;
    }

    @GetMapping("/")
    String dashboard(@RequestParam(required = false) String q, @RequestParam(required = false) String level, Model model) {
        String text = q == null ? "" : q.strip();
        AlertLevel alertLevel = level == null || level.isBlank() ? null : AlertLevel.fromWireName(level.strip()).orElse(null);
        String needle = text.toLowerCase(Locale.ROOT);
        model.addAttribute("times", Times.INSTANCE);
        model.addAttribute("q", text);
        model.addAttribute("level", alertLevel == null ? "" : alertLevel.wireName());
        model.addAttribute("levels", LEVELS);
        model.addAttribute("families", families.list(alertLevel, FamilySort.Order.DEFAULT, PAGE_FAMILIES, 0)
                .filter(f -> needle.isEmpty() || f.familyId().toLowerCase(Locale.ROOT).contains(needle))
                .collectList());
        // The feed lists what still needs someone: active detections nobody has acted on yet.
        model.addAttribute("detections", detections.list(DetectionQueries.Filter.ACTIVE, PAGE_DETECTIONS, 0)
                .filter(d -> d.actionType() == null)
                .collectList());
        model.addAttribute("trending", trending.latest());
        return "index";
    }
}
