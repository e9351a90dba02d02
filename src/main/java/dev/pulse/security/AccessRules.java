package dev.pulse.security;

import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity.AuthorizeExchangeSpec;

/**
 * Which role each endpoint needs (SPEC §5.5; the table in README "Security" and {@code SecurityMatrixIT} say the
 * same). Roles imply lower ones ({@link Role#implied()}), so each rule names the least role. Anything not named here
 * is for {@code admin}: a new endpoint is closed until someone decides otherwise.
 */
public final class AccessRules {

    /** The login form, and the stylesheet it uses. */
    public static final String LOGIN_PAGE = "/login";

    private AccessRules() {
    }

    public static void apply(AuthorizeExchangeSpec exchanges) {
        exchanges
                // public: health for load balancers and scripts/run, the login page and its stylesheet
                .pathMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                .pathMatchers(HttpMethod.GET, LOGIN_PAGE, "/dashboard.css", "/favicon.ico").permitAll()
                // ingest: events in (a load generator's token reads nothing)
                .pathMatchers(HttpMethod.POST, "/api/events").hasRole(Role.INGEST.name())
                // coordinator: acknowledge, dismiss, ... a detection
                .pathMatchers(HttpMethod.POST, "/api/detections/*/actions").hasRole(Role.COORDINATOR.name())
                // viewer: every read - pages, scripts, REST GETs, SSE, the WebSocket handshake (a GET), the OpenAPI
                // document and UI, and the Prometheus meters (give the scraper a viewer token of its own)
                .pathMatchers(HttpMethod.GET, "/actuator/prometheus", "/actuator/info").hasRole(Role.VIEWER.name())
                .pathMatchers(HttpMethod.GET, "/actuator", "/actuator/**").hasRole(Role.ADMIN.name())
                .pathMatchers(HttpMethod.GET, "/**").hasRole(Role.VIEWER.name())
                .pathMatchers(HttpMethod.HEAD, "/**").hasRole(Role.VIEWER.name())
                // logging out needs a session, nothing more
                .pathMatchers(HttpMethod.POST, "/logout").authenticated()
                // admin: rule changes (PUT /api/rules, POST /api/rules/versions/{n}/activate), backtests
                // (POST /api/rules/backtest) and everything else
                .anyExchange().hasRole(Role.ADMIN.name());
    }
}
