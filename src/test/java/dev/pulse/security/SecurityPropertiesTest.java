package dev.pulse.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.config.SecurityProperties;
import dev.pulse.config.SecurityProperties.Token;
import dev.pulse.config.SecurityProperties.User;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** SPEC §5.5: the configuration holds hashes only, and a wrong entry stops the start with the entry named. */
class SecurityPropertiesTest {

    private static final String BCRYPT = "{bcrypt}$2a$04$XsnggiEnxKuIagzMnf2ZC.RevkAzjMu/4YPOPZ4eNuHHmbYU8w6M6";
    private static final String SHA256 = SecretHashes.hashToken("a-token");

    @Test
    void shouldStartWithNoUsersAndNoTokens() {
        SecurityProperties none = new SecurityProperties(null, null, null, Duration.ofHours(12));
        assertThat(none.userAccounts()).isEmpty();
        assertThat(none.tokenAccounts()).isEmpty();
    }

    @Test
    void shouldRefuseAPlainPasswordWithoutEchoingIt() {
        for (String plain : List.of("hunter2", "{noop}hunter2", "{bcrypt}hunter2")) {
            assertThatThrownBy(() -> users("alice", new User(plain, List.of("viewer"))))
                    .hasMessageContaining("pulse.security.users.alice.password-hash is not a {bcrypt} hash")
                    .hasMessageNotContaining("hunter2");
        }
    }

    @Test
    void shouldRefuseAnUnknownOrMissingRole() {
        assertThatThrownBy(() -> users("alice", new User(BCRYPT, List.of("superuser"))))
                .hasMessageContaining("pulse.security.users.alice.roles: unknown role 'superuser'")
                .hasMessageContaining("viewer, coordinator, ingest, admin");
        assertThatThrownBy(() -> users("alice", new User(BCRYPT, List.of())))
                .hasMessageContaining("pulse.security.users.alice.roles is empty");
    }

    @Test
    void shouldRefuseATokenThatIsNotASha256Hash() {
        assertThatThrownBy(() -> tokens("loader", new Token("a-token", List.of("ingest"))))
                .hasMessageContaining("pulse.security.tokens.loader.sha256 must be the SHA-256")
                .hasMessageNotContaining("a-token\"");
    }

    @Test
    void shouldRefuseAShortSessionKey() {
        assertThatThrownBy(() -> new SecurityProperties(null, null, "c2hvcnQ=", Duration.ofHours(1)))
                .hasMessageContaining("pulse.security.session-key must decode to at least 32 bytes");
    }

    @Test
    void shouldGiveAdminEveryRoleAndCoordinatorViewer() {
        Account admin = new Account("a", SHA256, java.util.Set.of(Role.ADMIN));
        assertThat(admin.authorities()).extracting(Object::toString)
                .containsExactlyInAnyOrder("ROLE_VIEWER", "ROLE_COORDINATOR", "ROLE_INGEST", "ROLE_ADMIN");
        Account coordinator = new Account("c", SHA256, java.util.Set.of(Role.COORDINATOR));
        assertThat(coordinator.authorities()).extracting(Object::toString).containsExactlyInAnyOrder("ROLE_VIEWER", "ROLE_COORDINATOR");
        assertThat(new Account("i", SHA256, java.util.Set.of(Role.INGEST)).authorities()).extracting(Object::toString)
                .containsExactly("ROLE_INGEST");
        assertThat(admin.toString()).doesNotContain(SHA256);
    }

    @Test
    void shouldMatchTheHashesItMakes() {
        String hash = SecretHashes.hashPassword("correct horse");
        SecretHashes.requirePasswordHash("x", hash);
        assertThat(SecretHashes.passwordEncoder().matches("correct horse", hash)).isTrue();
        assertThat(SecretHashes.passwordEncoder().matches("wrong", hash)).isFalse();
    }

    /** The test configuration, like any other, holds hashes only. */
    @Test
    void shouldKeepOnlyHashesInTheTestConfiguration() throws Exception {
        String yaml;
        try (InputStream in = getClass().getResourceAsStream("/config/application.yml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher passwords = Pattern.compile("password-hash: \"([^\"]+)\"").matcher(yaml);
        int users = 0;
        while (passwords.find()) {
            SecretHashes.requirePasswordHash("password-hash", passwords.group(1));
            users++;
        }
        assertThat(users).isEqualTo(Role.values().length);
        for (Role role : Role.values()) {
            assertThat(yaml).doesNotContain(dev.pulse.support.TestCredentials.password(role))
                    .doesNotContain(dev.pulse.support.TestCredentials.token(role))
                    .contains(SecretHashes.hashToken(dev.pulse.support.TestCredentials.token(role)));
        }
    }

    private static SecurityProperties users(String name, User user) {
        return new SecurityProperties(Map.of(name, user), null, null, Duration.ofHours(12));
    }

    private static SecurityProperties tokens(String name, Token token) {
        return new SecurityProperties(null, Map.of(name, token), null, Duration.ofHours(12));
    }
}
