package dev.pulse.web;

import java.util.List;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;

/**
 * Parses every page template once at start-up, before the server accepts requests. Thymeleaf reads a
 * template's file on first use; done here, on the main thread, no request ever does blocking file I/O
 * on an event loop (the parsed templates stay cached).
 */
@Component
class TemplateWarmup implements SmartInitializingSingleton {

    static final List<String> TEMPLATES = List.of("index");

    private final ISpringWebFluxTemplateEngine engine;

    TemplateWarmup(ISpringWebFluxTemplateEngine engine) {
        this.engine = engine;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Context empty = new Context();
        empty.setVariable("families", List.of());
        empty.setVariable("detections", List.of());
        TEMPLATES.forEach(template -> engine.process(template, empty));
    }
}
