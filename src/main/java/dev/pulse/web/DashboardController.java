package dev.pulse.web;

import dev.pulse.projection.DetectionQueries;
import dev.pulse.projection.FamilyQueries;
import dev.pulse.projection.FamilySort;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /}: the families table rendered with the current state, then kept live by the page's script (SPEC §5.4). */
@Controller
class DashboardController {

    static final int PAGE_FAMILIES = 1000;

    static final int PAGE_DETECTIONS = 50;

    private final FamilyQueries families;
    private final DetectionQueries detections;

    DashboardController(FamilyQueries families, DetectionQueries detections) {
        this.families = families;
        this.detections = detections;
    }

    @GetMapping("/")
    String dashboard(Model model) {
        model.addAttribute("families", families.list(null, FamilySort.Order.DEFAULT, PAGE_FAMILIES, 0).collectList());
        model.addAttribute("detections", detections.list(DetectionQueries.Filter.ACTIVE,
                PAGE_DETECTIONS, 0).collectList());
        return "index";
    }
}
