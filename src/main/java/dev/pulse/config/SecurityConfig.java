package dev.pulse.config;

import dev.pulse.security.AccessRules;
import dev.pulse.security.BearerTokenConverter;
import dev.pulse.security.BrowserSessionRequests;
import dev.pulse.security.ConfiguredTokens;
import dev.pulse.security.ConfiguredUsers;
import dev.pulse.security.JsonSecurityErrors;
import dev.pulse.security.SameOriginWebSocket;
import dev.pulse.security.SecretHashes;
import dev.pulse.security.SignedSessionCookie;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.DelegatingServerAuthenticationEntryPoint;
import org.springframework.security.web.server.DelegatingServerAuthenticationEntryPoint.DelegateEntry;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.authentication.logout.DelegatingServerLogoutHandler;
import org.springframework.security.web.server.authentication.logout.SecurityContextServerLogoutHandler;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.CsrfServerLogoutHandler;
import org.springframework.security.web.server.csrf.XorServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.savedrequest.WebSessionServerRequestCache;
import org.springframework.security.web.server.savedrequest.ServerRequestCache;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.util.matcher.MediaTypeServerWebExchangeMatcher;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spring Security for SPEC §5.5 (README "Security"): browsers log in with a form and keep a signed login cookie
 * (CSRF on state-changing requests); tools send a bearer token, statelessly; {@link AccessRules} decides by role.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    /**
     * Scripts, styles, images, fetches and the WebSocket from this origin only: the pages have no inline script or
     * style, and every asset (swagger-ui's included) is served by Pulse itself. {@code data:} images are swagger-ui's
     * icons. No framing, no plugins, forms post here only.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self';"
            + " form-action 'self'; frame-ancestors 'none'";

    @Bean
    PasswordEncoder passwordEncoder() {
        return SecretHashes.passwordEncoder();
    }

    /** Also stops Spring Boot from making its own user with a generated password. */
    @Bean
    ConfiguredUsers configuredUsers(SecurityProperties security) {
        return new ConfiguredUsers(security.userAccounts());
    }

    /**
     * Spring Security's strict firewall, except that a path may hold an encoded {@code /}, {@code %} or {@code \}: family and
     * detection ids are free text (SPEC §1) and travel as one path segment ({@code /families/a%2Fb}), as they did
     * before security came in. Everything else it refuses (semicolons, backslashes, encoded line breaks, ...) stays
     * refused.
     */
    @Bean
    ServerWebExchangeFirewall firewall() {
        StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
        firewall.setAllowUrlEncodedSlash(true);
        firewall.setAllowUrlEncodedPercent(true);
        firewall.setAllowBackSlash(true);
        return firewall;
    }

    @Bean
    SignedSessionCookie loginCookie(SecurityProperties security, ConfiguredUsers users, InstantSource clock) {
        byte[] key = security.sessionKeyBytes();
        if (key == null) {
            key = new byte[32];
            new SecureRandom().nextBytes(key);
            log.warn("pulse.security.session-key is not set: browser logins are signed with a random key of this start,"
                    + " so they end when Pulse restarts and hold on this instance only (README \"Security\")");
        }
        return new SignedSessionCookie(key, security.sessionTimeout(), clock, users);
    }

    @Bean
    SecurityWebFilterChain pulseSecurity(ServerHttpSecurity http, SecurityProperties security, ConfiguredUsers users,
                                         SignedSessionCookie loginCookie, PasswordEncoder passwords, JsonMapper json) {
        if (security.users().isEmpty() && security.tokens().isEmpty()) {
            log.warn("pulse.security has no users and no tokens: only /actuator/health and the login page answer"
                    + " (README \"Security\")");
        }
        JsonSecurityErrors errors = new JsonSecurityErrors(json);

        UserDetailsRepositoryReactiveAuthenticationManager formLogins = new UserDetailsRepositoryReactiveAuthenticationManager(users);
        formLogins.setPasswordEncoder(passwords);

        AuthenticationWebFilter bearer = new AuthenticationWebFilter(new ConfiguredTokens(security.tokenAccounts()));
        bearer.setServerAuthenticationConverter(new BearerTokenConverter());
        // A wrong token is a JSON 401 even for a browser's Accept header: a token is a tool's credential.
        bearer.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(errors));
        // Stateless: AuthenticationWebFilter keeps the context in no session by default; said here on purpose.
        bearer.setSecurityContextRepository(org.springframework.security.web.server.context.NoOpServerSecurityContextRepository.getInstance());

        // The login and the CSRF token live in cookies, not in the server's session, so that they hold across restarts
        // and instances (see SignedSessionCookie).
        CookieServerCsrfTokenRepository csrfTokens = new CookieServerCsrfTokenRepository();
        // The page to return to after the login: in the (in-memory) WebSession, only for the minute of a login.
        ServerRequestCache requestCache = new WebSessionServerRequestCache();
        XorServerCsrfTokenRequestAttributeHandler maskedTokens = new XorServerCsrfTokenRequestAttributeHandler();
        maskedTokens.setSecureRandom(seededRandom());
        RedirectServerAuthenticationSuccessHandler afterLogin = new RedirectServerAuthenticationSuccessHandler("/");
        afterLogin.setRequestCache(requestCache);
        SecurityContextServerLogoutHandler forgetLogin = new SecurityContextServerLogoutHandler();
        forgetLogin.setSecurityContextRepository(loginCookie);

        return http
                .authorizeExchange(AccessRules::apply)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .securityContextRepository(loginCookie)
                .requestCache(cache -> cache.requestCache(requestCache))
                .formLogin(form -> form.loginPage(AccessRules.LOGIN_PAGE).authenticationManager(formLogins)
                        .securityContextRepository(loginCookie).authenticationSuccessHandler(afterLogin))
                .logout(logout -> logout.logoutUrl("/logout").logoutHandler(handlers -> {
                    handlers.clear();
                    handlers.add(new DelegatingServerLogoutHandler(forgetLogin, new CsrfServerLogoutHandler(csrfTokens)));
                }))
                .addFilterAt(bearer, SecurityWebFiltersOrder.AUTHENTICATION)
                .addFilterAfter(new SameOriginWebSocket("/ws/dashboard"), SecurityWebFiltersOrder.AUTHORIZATION)
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens).csrfTokenRequestHandler(maskedTokens).requireCsrfProtectionMatcher(new BrowserSessionRequests(AccessRules.LOGIN_PAGE))
                        .accessDeniedHandler(errors))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(entryPoint(errors, requestCache)).accessDeniedHandler(errors))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)))
                // CORS stays closed: no CorsConfigurationSource, so no Access-Control-Allow-* header is ever sent.
                .cors(ServerHttpSecurity.CorsSpec::disable)
                .build();
    }

    /**
     * The random source that masks each page's CSRF token (BREACH), seeded here, at start: a {@code new SecureRandom()}
     * would read /dev/urandom on its first use, on an event loop (BlockHound in the tests says so). A DRBG, once
     * seeded, does not read the file again.
     */
    private static SecureRandom seededRandom() {
        try {
            SecureRandom random = SecureRandom.getInstance("DRBG");
            random.nextBytes(new byte[32]);
            return random;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM since 9 has DRBG", e);
        }
    }

    /** A page a browser navigates to redirects to the login form; everything else gets a JSON 401. */
    private static ServerAuthenticationEntryPoint entryPoint(JsonSecurityErrors errors, ServerRequestCache requestCache) {
        MediaTypeServerWebExchangeMatcher pages = new MediaTypeServerWebExchangeMatcher(MediaType.TEXT_HTML);
        pages.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        RedirectServerAuthenticationEntryPoint toLogin = new RedirectServerAuthenticationEntryPoint(AccessRules.LOGIN_PAGE);
        toLogin.setRequestCache(requestCache);   // where to return after the login
        DelegatingServerAuthenticationEntryPoint entryPoint = new DelegatingServerAuthenticationEntryPoint(
                List.of(new DelegateEntry(pages, toLogin)));
        entryPoint.setDefaultEntryPoint(errors);
        return entryPoint;
    }
}
