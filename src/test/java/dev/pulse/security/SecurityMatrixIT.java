package dev.pulse.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.PulseIT;
import dev.pulse.support.TestCredentials;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC §5.5, issue 8 acceptance: every endpoint × {no credentials, a wrong token, a token of each role} answers exactly
 * 401 / 403 / its normal status. "Normal" is 2xx, except where the request is deliberately one the endpoint refuses
 * for its own reasons once access is granted, so that the matrix changes nothing the other tests share:
 * <ul>
 *   <li>{@code 404}: a family page, a family, its counters, an action on a detection, and the re-activation of a
 *       rule-set version that do not exist;</li>
 *   <li>{@code 405}: {@code DELETE /api/families}, which no role may do (anything unlisted is admin's, then WebFlux
 *       finds no such method);</li>
 *   <li>{@code 400}: {@code PUT /api/rules} and {@code POST /api/rules/backtest} with an empty rule set, and
 *       {@code POST /api/events} with an invalid event (a valid one would change the projections).</li>
 * </ul>
 * Such an answer proves that the request got past security. A wrong token is a 401 everywhere, the public pages
 * included: it is judged before anything else. The browser side (form login, the login cookie, CSRF,
 * the WebSocket with the cookie) is in {@link BrowserSessionIT}.
 */
class SecurityMatrixIT extends PulseIT {

    /** Who asks: nobody, a wrong token, or a token of one role. */
    enum Caller {
        NONE((String) null), WRONG("Bearer not-a-token-of-this-server"), VIEWER(Role.VIEWER), COORDINATOR(Role.COORDINATOR),
        INGEST(Role.INGEST), ADMIN(Role.ADMIN);

        final String authorization;
        final Role role;

        Caller(String authorization) {
            this.authorization = authorization;
            this.role = null;
        }

        Caller(Role role) {
            this.authorization = "Bearer " + TestCredentials.token(role);
            this.role = role;
        }

        boolean has(Role needed) {
            return role != null && EnumSet.copyOf(role.implied()).contains(needed);
        }
    }

    /** An endpoint as the matrix calls it; {@code role} null means public. */
    record Endpoint(String method, String path, String contentType, String body, Role role, int granted) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final String NO_SUCH_FAMILY = "matrix-no-such-family";

    static List<Endpoint> endpoints() {
        return List.of(
                // public
                new Endpoint("GET", "/actuator/health", null, null, null, 200),
                new Endpoint("GET", "/login", null, null, null, 200),
                new Endpoint("GET", "/dashboard.css", null, null, null, 200),
                // pages and their scripts
                new Endpoint("GET", "/", null, null, Role.VIEWER, 200),
                new Endpoint("GET", "/families/" + NO_SUCH_FAMILY, null, null, Role.VIEWER, 404),
                new Endpoint("GET", "/dashboard.js", null, null, Role.VIEWER, 200),
                new Endpoint("GET", "/family.js", null, null, Role.VIEWER, 200),
                new Endpoint("GET", "/live.js", null, null, Role.VIEWER, 200),
                // REST reads
                new Endpoint("GET", "/api/families", null, null, Role.VIEWER, 200),
                new Endpoint("GET", "/api/families/" + NO_SUCH_FAMILY, null, null, Role.VIEWER, 404),
                new Endpoint("GET", "/api/families/" + NO_SUCH_FAMILY + "/counters", null, null, Role.VIEWER, 404),
                new Endpoint("GET", "/api/detections", null, null, Role.VIEWER, 200),
                new Endpoint("GET", "/api/rules", null, null, Role.VIEWER, 200),
                new Endpoint("GET", "/api/rules/versions", null, null, Role.VIEWER, 200),
                new Endpoint("GET", "/api/stream/status", null, null, Role.VIEWER, 200),
                new Endpoint("GET", "/api/trending", null, null, Role.VIEWER, 200),
                // SSE (the status only: the stream itself is left unread and closed)
                new Endpoint("GET", "/api/stream/detections", null, null, Role.VIEWER, 200),
                new Endpoint("GET", "/api/stream/metrics", null, null, Role.VIEWER, 200),
                // OpenAPI document and UI, Prometheus
                new Endpoint("GET", "/api/docs", null, null, Role.VIEWER, 200),
                new Endpoint("GET", "/api/docs.yaml", null, null, Role.VIEWER, 200),
                new Endpoint("GET", "/api/docs/swagger-ui/index.html", null, null, Role.VIEWER, 200),
                new Endpoint("GET", "/actuator/prometheus", null, null, Role.VIEWER, 200),
                new Endpoint("GET", "/actuator/info", null, null, Role.VIEWER, 200),
                // ingest
                new Endpoint("POST", "/api/events", "application/json", "{\"event_id\":\"\"}", Role.INGEST, 400),
                // coordinator
                new Endpoint("POST", "/api/detections/matrix-no-such-detection/actions", "application/json",
                        "{\"action_type\":\"acknowledged\"}", Role.COORDINATOR, 404),
                // admin
                new Endpoint("PUT", "/api/rules", "application/json", "{}", Role.ADMIN, 400),
                new Endpoint("POST", "/api/rules/backtest", "application/json", "{}", Role.ADMIN, 400),
                new Endpoint("POST", "/api/rules/versions/999999999/activate", null, null, Role.ADMIN, 404),
                new Endpoint("DELETE", "/api/families", null, null, Role.ADMIN, 405));
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            for (Caller caller : Caller.values()) {
                cases.add(Arguments.of(endpoint, caller, expected(endpoint, caller)));
            }
        }
        return cases.stream();
    }

    static int expected(Endpoint endpoint, Caller caller) {
        if (caller == Caller.WRONG) {
            return 401;   // even on a public page: a tool with a broken token learns it at once
        }
        if (endpoint.role() == null) {
            return endpoint.granted();
        }
        if (caller.role == null) {
            return 401;
        }
        return caller.has(endpoint.role()) ? endpoint.granted() : 403;
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @ParameterizedTest(name = "{0} as {1}: {2}")
    @MethodSource("matrix")
    void shouldAnswerAsSpecSaysForEveryEndpointAndCaller(Endpoint endpoint, Caller caller, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + endpoint.path()))
                .timeout(Duration.ofSeconds(30))
                .method(endpoint.method(), endpoint.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(endpoint.body()));
        if (endpoint.contentType() != null) {
            request.header("Content-Type", endpoint.contentType());
        }
        if (caller.authorization != null) {
            request.header("Authorization", caller.authorization);
        }
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            assertThat(response.statusCode()).as(endpoint + " as " + caller).isEqualTo(expected);
            if (expected == 401 || expected == 403) {
                String text = new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(text).as("the API's error body").contains("\"error\"").contains("\"detail\"");
                assertThat(response.headers().firstValue("WWW-Authenticate").orElse(""))
                        .as("no detail of what was wrong").doesNotContain("error");
            }
        }
    }

    static Stream<Arguments> sockets() {
        return Stream.of(Caller.values()).map(c -> Arguments.of(c, c.role == null ? 401 : c.has(Role.VIEWER) ? 101 : 403));
    }

    @ParameterizedTest(name = "WebSocket /ws/dashboard as {0}: {1}")
    @MethodSource("sockets")
    void shouldOpenTheWebSocketForViewersOnly(Caller caller, int expected) throws Exception {
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (caller.authorization != null) {
            builder.header("Authorization", caller.authorization);
        }
        assertThat(handshake(builder, URI.create("ws://127.0.0.1:" + port + "/ws/dashboard"))).isEqualTo(expected);
    }

    /** 101 when the socket opened (it is closed again at once), else the refusing status. */
    static int handshake(WebSocket.Builder builder, URI uri) throws Exception {
        try {
            WebSocket socket = builder.buildAsync(uri, new WebSocket.Listener() { }).get(30, TimeUnit.SECONDS);
            socket.abort();
            return 101;
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    /** Every role is in the matrix, so no role's rule goes untested. */
    @org.junit.jupiter.api.Test
    void shouldCoverEveryRole() {
        Set<Role> covered = EnumSet.noneOf(Role.class);
        for (Caller caller : Caller.values()) {
            if (caller.role != null) {
                covered.add(caller.role);
            }
        }
        assertThat(covered).containsExactlyInAnyOrder(Role.values());
    }
}
