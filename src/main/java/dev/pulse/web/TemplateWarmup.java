package dev.pulse.web;

import dev.pulse.projection.FamilyMetricsRow;
import java.time.Instant;
import java.util.List;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.cache.StandardCacheManager;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;

/**
 * Parses every page template once at start-up, before the server accepts requests. Thymeleaf reads a
 * template's file on first use; done here, on the main thread, no request ever does blocking file I/O
 * on an event loop (the parsed templates stay cached).
 */
@Component
class TemplateWarmup implements SmartInitializingSingleton {

    static final List<String> TEMPLATES = List.of("index", "family", "family-missing", "login");

    private final ISpringWebFluxTemplateEngine engine;

    TemplateWarmup(ISpringWebFluxTemplateEngine engine) {
        this.engine = engine;
    }

    @Override
    public void afterSingletonsInstantiated() {
        // Thymeleaf keeps parsed templates behind soft references by default: under memory pressure the GC drops
        // them, and the next request parses the file again, on an event loop (BlockHound caught it late in a long
        // test run). A handful of small templates are kept for good instead.
        if (engine instanceof TemplateEngine templates && !templates.isInitialized()) {
            StandardCacheManager cache = new StandardCacheManager();
            cache.setTemplateCacheUseSoftReferences(false);
            templates.setCacheManager(cache);
        }
        Context empty = new Context();
        empty.setVariable("families", List.of());
        empty.setVariable("detections", List.of());
        empty.setVariable("counters", List.of());
        empty.setVariable("levels", DashboardController.LEVELS);
        empty.setVariable("times", Times.INSTANCE);
        empty.setVariable("q", "");
        empty.setVariable("level", "");
        empty.setVariable("familyId", "family");
        empty.setVariable("failed", false);
        empty.setVariable("loggedOut", false);
        // The family page reads its family's fields: a row with every optional field empty.
        empty.setVariable("family", new FamilyMetricsRow("family", null, "stable", 0, null, null, 0, 0, 0, "none", null, null,
                0, null, null, Instant.EPOCH, null, null, null));
        empty.setVariable("chart", ScoreChart.of(List.of(), null));
        TEMPLATES.forEach(template -> engine.process(template, empty));
    }
}
