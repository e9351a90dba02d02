package dev.pulse.web;

import org.springframework.security.web.reactive.result.view.CsrfRequestDataValueProcessor;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Gives the pages the session's CSRF token as {@code _csrf} (SPEC §5.5): the login and logout forms send it as a
 * hidden field, the dashboard's script as the {@code X-XSRF-TOKEN} header (both read from meta tags). WebFlux makes the
 * token lazily, so a page must ask for it (Spring Security reference, "WebFlux CSRF": {@code @ModelAttribute}).
 * Only for this package's pages: REST answers never touch the session.
 */
@ControllerAdvice(basePackageClasses = CsrfTokenModel.class)
class CsrfTokenModel {

    @ModelAttribute("_csrf")
    Mono<CsrfToken> csrfToken(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        return token == null ? Mono.empty() : token.doOnSuccess(t -> exchange.getAttributes()
                .put(CsrfRequestDataValueProcessor.DEFAULT_CSRF_ATTR_NAME, t));
    }
}
