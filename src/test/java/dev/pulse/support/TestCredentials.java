package dev.pulse.support;

import dev.pulse.security.Role;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The plain secrets of the test users and tokens whose hashes src/test/resources/config/application.yml configures
 * (SPEC §5.5), and the test HTTP clients that send them: every test talks to the real security configuration, with the
 * admin token unless it is about roles.
 */
public final class TestCredentials {

    private TestCredentials() {
    }

    /** The user of that role (named like the role) logs in with this password. */
    public static String password(Role role) {
        return "test-" + role.configName() + "-password";
    }

    public static String user(Role role) {
        return role.configName();
    }

    /** The bearer token of that role. */
    public static String token(Role role) {
        return "test-" + role.configName() + "-token-0123456789abcdef";
    }

    /** {@code Bearer <admin token>}: what the test clients send by default. */
    public static String adminAuthorization() {
        return "Bearer " + token(Role.ADMIN);
    }

    /** Headers with the admin token, for WebSocket handshakes and plain HTTP clients. */
    public static HttpHeaders adminHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, adminAuthorization());
        return headers;
    }

    /** A WebTestClient on {@code baseUrl} that sends the admin token with every request. */
    public static WebTestClient.Builder http(String baseUrl) {
        return WebTestClient.bindToServer().baseUrl(baseUrl).defaultHeader(HttpHeaders.AUTHORIZATION, adminAuthorization());
    }

    /** A WebClient on {@code baseUrl} that sends the admin token with every request. */
    public static WebClient.Builder webClient(String baseUrl) {
        return WebClient.builder().baseUrl(baseUrl).defaultHeader(HttpHeaders.AUTHORIZATION, adminAuthorization());
    }

    /** A java.net.http request builder for {@code uri} with the admin token. */
    public static java.net.http.HttpRequest.Builder request(URI uri) {
        return java.net.http.HttpRequest.newBuilder(uri).header(HttpHeaders.AUTHORIZATION, adminAuthorization());
    }

    /**
     * The admin token as command-line properties, for a Pulse started without the test resources (which configure
     * it otherwise): the test clients' default token then works there too.
     */
    public static java.util.List<String> adminTokenProperties() {
        return java.util.List.of(
                "pulse.security.tokens.admin-token.sha256=" + dev.pulse.security.SecretHashes.hashToken(token(Role.ADMIN)),
                "pulse.security.tokens.admin-token.roles=admin");
    }
}
