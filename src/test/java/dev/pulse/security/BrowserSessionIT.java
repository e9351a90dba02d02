package dev.pulse.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.PulseIT;
import dev.pulse.support.TestCredentials;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The browser side of SPEC §5.5: form login into a login cookie, CSRF on state-changing requests made with that
 * cookie, the WebSocket and SSE with the cookie, and the public pages. Requests are made as a browser makes them
 * (cookies kept, redirects not followed, so that each step can be seen).
 */
class BrowserSessionIT extends PulseIT {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern CSRF_META = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");
    private static final Pattern CSRF_HEADER_META = Pattern.compile("<meta name=\"_csrf_header\" content=\"([^\"]+)\"");

    /** A browser of its own: a cookie jar, no redirects followed. */
    private final CookieManager cookies = new CookieManager();
    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void shouldServeHealthAndTheLoginPageWithoutCredentials() throws Exception {
        HttpResponse<String> health = get("/actuator/health", "application/json");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).as("whether Pulse is up, not what it runs on").contains("\"status\":\"UP\"")
                .doesNotContain("components").doesNotContain("kafka").doesNotContain("r2dbc");
        HttpResponse<String> login = get("/login", "text/html");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("<form method=\"post\" action=\"/login\"").contains("name=\"_csrf\"");
        assertThat(get("/dashboard.css", "text/css").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldSendABrowserToTheLoginPageAndBackAfterLogin() throws Exception {
        HttpResponse<String> page = get("/?q=abc", "text/html");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/login");

        HttpResponse<String> loggedIn = logIn(Role.VIEWER, TestCredentials.password(Role.VIEWER));
        assertThat(loggedIn.statusCode()).isEqualTo(302);
        // back to the page asked for when the saved request is found, else to the dashboard
        assertThat(loggedIn.headers().firstValue("Location").orElseThrow()).matches(".*/(\\?q=abc)?");
        assertThat(loggedIn.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                .startsWith(SignedSessionCookie.NAME + "=").containsIgnoringCase("HttpOnly").contains("SameSite=Lax"));
        assertThat(get("/?q=abc", "text/html").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health", "application/json").body()).as("a signed-in user sees what health checks")
                .contains("\"components\"").contains("\"pipeline\"").contains("\"kafka\"");
    }

    @Test
    void shouldRefuseAWrongPasswordAndAnUnknownUserAlike() throws Exception {
        HttpResponse<String> wrongPassword = logIn(Role.ADMIN, "not-the-password");
        cookies.getCookieStore().removeAll();
        HttpResponse<String> unknownUser = logIn("nobody", "not-the-password");
        for (HttpResponse<String> response : java.util.List.of(wrongPassword, unknownUser)) {
            assertThat(response.statusCode()).isEqualTo(302);
            assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
            assertThat(response.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith(SignedSessionCookie.NAME + "=") && !c.startsWith(SignedSessionCookie.NAME + "=;"));
        }
        assertThat(get("/login?error", "text/html").body()).contains("Wrong user name or password.");
    }

    @Test
    void shouldRequireTheCsrfTokenForAStateChangingRequestOfABrowserSession() throws Exception {
        logIn(Role.COORDINATOR, TestCredentials.password(Role.COORDINATOR));
        String page = get("/", "text/html").body();
        String token = csrfOf(page, CSRF_META);
        String header = csrfOf(page, CSRF_HEADER_META);
        URI action = uri("/api/detections/csrf-no-such-detection/actions");

        HttpResponse<String> withoutToken = send(HttpRequest.newBuilder(action).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action_type\":\"acknowledged\"}")));
        assertThat(withoutToken.statusCode()).isEqualTo(403);
        assertThat(withoutToken.body()).contains("CSRF");
        // Refused with its body unread, so the connection is closed rather than reused (RFC 9112 §9.3): reused, the
        // next request on it hung about once in eighty.
        assertThat(withoutToken.headers().firstValue("Connection")).hasValue("close");

        HttpResponse<String> withToken = send(HttpRequest.newBuilder(action).header("Content-Type", "application/json")
                .header(header, token).POST(HttpRequest.BodyPublishers.ofString("{\"action_type\":\"acknowledged\"}")));
        assertThat(withToken.statusCode()).as("past security: no such detection").isEqualTo(404);
    }

    @Test
    void shouldRefuseALoginWithoutCsrfToken() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form("username", "admin", "password", TestCredentials.password(Role.ADMIN)))));
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void shouldOpenTheWebSocketAndSseWithTheLoginCookieButNotFromAnotherOrigin() throws Exception {
        logIn(Role.VIEWER, TestCredentials.password(Role.VIEWER));
        String cookie = cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(SignedSessionCookie.NAME)).findFirst().orElseThrow().toString();
        URI socket = URI.create("ws://127.0.0.1:" + port + "/ws/dashboard");

        assertThat(SecurityMatrixIT.handshake(HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", cookie), socket))
                .isEqualTo(101);
        assertThat(SecurityMatrixIT.handshake(HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", cookie)
                .header("Origin", "http://127.0.0.1:" + port), socket)).isEqualTo(101);
        assertThat(SecurityMatrixIT.handshake(HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", cookie)
                .header("Origin", "https://evil.example"), socket)).as("cross-site WebSocket hijacking").isEqualTo(403);
        assertThat(SecurityMatrixIT.handshake(HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Cookie", SignedSessionCookie.NAME + "=forged.4102444800.AAAA"), socket)).isEqualTo(401);

        HttpResponse<java.io.InputStream> sse = browser.send(HttpRequest.newBuilder(uri("/api/stream/detections"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        sse.body().close();
        assertThat(sse.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldLogOutWithTheCsrfToken() throws Exception {
        logIn(Role.VIEWER, TestCredentials.password(Role.VIEWER));
        String token = csrfOf(get("/", "text/html").body(), CSRF_FIELD);
        HttpResponse<String> out = send(HttpRequest.newBuilder(uri("/logout")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form("_csrf", token))));
        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(out.headers().firstValue("Location").orElseThrow()).endsWith("/login?logout");
        assertThat(get("/", "text/html").statusCode()).isEqualTo(302);
    }

    @Test
    void shouldSendSecureHeadersAndNoCorsHeaders() throws Exception {
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(uri("/login")).header("Origin", "https://evil.example").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'").contains("script-src 'self'").contains("frame-ancestors 'none'");
        assertThat(login.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(login.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(login.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> preflight = browser.send(HttpRequest.newBuilder(uri("/api/families"))
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "GET")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    // ---------------------------------------------------------------- a browser's steps

    private HttpResponse<String> logIn(Role role, String password) throws Exception {
        return logIn(TestCredentials.user(role), password);
    }

    private HttpResponse<String> logIn(String user, String password) throws Exception {
        String token = csrfOf(get("/login", "text/html").body(), CSRF_FIELD);
        return send(HttpRequest.newBuilder(uri("/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form("username", user, "password", password, "_csrf", token))));
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Accept", accept));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return browser.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String csrfOf(String html, Pattern pattern) {
        Matcher matcher = pattern.matcher(html);
        assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
        return matcher.group(1);
    }

    private static String form(String... pairs) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            body.append(i == 0 ? "" : "&").append(pairs[i]).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return body.toString();
    }
}
