package dev.pulse.security;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.web.server.csrf.CsrfWebFilter;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The requests that need a CSRF token: state-changing ones (Spring's default: not GET, HEAD, TRACE, OPTIONS) that a
 * browser could send on its own, i.e. those that would be authenticated by the login cookie ({@link SignedSessionCookie}), and the login form
 * itself (against login CSRF). Left out:
 * <ul>
 *   <li>requests with {@code Authorization: Bearer}: a browser never adds that header across sites (it would need a
 *       CORS preflight, and CORS is closed), so such a request cannot be forged; tools need no token dance;</li>
 *   <li>requests without a login cookie: nothing authenticates them, so authorization answers 401 (SPEC §5.5),
 *       which a 403 for the missing CSRF token would otherwise hide.</li>
 * </ul>
 */
public final class BrowserSessionRequests implements ServerWebExchangeMatcher {

    private final String loginPath;

    public BrowserSessionRequests(String loginPath) {
        this.loginPath = loginPath;
    }

    @Override
    public Mono<MatchResult> matches(ServerWebExchange exchange) {
        return CsrfWebFilter.DEFAULT_CSRF_MATCHER.matches(exchange).flatMap(stateChanging -> {
            ServerHttpRequest request = exchange.getRequest();
            boolean browser = !BearerTokenConverter.carriesToken(request)
                    && (SignedSessionCookie.present(request) || loginPath.equals(request.getPath().pathWithinApplication().value()));
            return stateChanging.isMatch() && browser ? MatchResult.match() : MatchResult.notMatch();
        });
    }
}
