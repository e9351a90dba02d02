package dev.pulse.config;

import dev.pulse.security.Account;
import dev.pulse.security.Role;
import dev.pulse.security.SecretHashes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may do what (SPEC §5.5, README "Security"): people who log in with a form, and tokens that tools send as
 * {@code Authorization: Bearer ...}. Only hashes are configured, never a secret:
 * <pre>
 * pulse.security.users.alice.password-hash: "{bcrypt}$2a$10$..."     # java -cp ... HashCommand password
 * pulse.security.users.alice.roles: coordinator
 * pulse.security.tokens.loadgen.sha256: 9f86d081...                  # printf %s "$TOKEN" | sha256sum
 * pulse.security.tokens.loadgen.roles: ingest
 * </pre>
 * With neither users nor tokens Pulse starts, and only {@code /actuator/health} and the login page answer.
 * An invalid hash or an unknown role stops the start with the entry named (never its value).
 *
 * @param users  by user name: the BCrypt hash of the password and the roles
 * @param tokens by token name (the principal's name in logs and limits): the SHA-256 of the token and the roles
 * @param sessionKey     base64 of at least 32 random bytes that sign the browsers' login cookies; every instance of a
 *                       deployment needs the same one. Unset: a random key per start, so a restart logs everyone out
 *                       and a login holds on one instance only
 * @param sessionTimeout how long a browser's login lasts (the cookie's lifetime; no sliding renewal)
 */
@ConfigurationProperties("pulse.security")
public record SecurityProperties(Map<String, User> users, Map<String, Token> tokens, String sessionKey,
                                 @DefaultValue("12h") Duration sessionTimeout) {

    public SecurityProperties {
        users = users == null ? Map.of() : Map.copyOf(new TreeMap<>(users));
        tokens = tokens == null ? Map.of() : Map.copyOf(new TreeMap<>(tokens));
        users.forEach((name, user) -> SecretHashes.requirePasswordHash(
                "pulse.security.users." + name + ".password-hash", user == null ? null : user.passwordHash()));
        tokens.forEach((name, token) -> SecretHashes.requireTokenHash(
                "pulse.security.tokens." + name + ".sha256", token == null ? null : token.sha256()));
        if (sessionKey != null && !sessionKey.isBlank()) {
            sessionKeyBytes(sessionKey);
        }
        if (sessionTimeout == null || sessionTimeout.isNegative() || sessionTimeout.isZero()) {
            throw new IllegalArgumentException("pulse.security.session-timeout must be > 0, was " + sessionTimeout);
        }
        if (tokens.values().stream().map(Token::sha256).distinct().count() < tokens.size()) {
            throw new IllegalArgumentException("pulse.security.tokens: two tokens have the same sha256 (one token, two names?)");
        }
        users.forEach((name, user) -> roles("pulse.security.users." + name + ".roles", user.roles()));
        tokens.forEach((name, token) -> roles("pulse.security.tokens." + name + ".roles", token.roles()));
    }

    /** A person: logs in with a form and holds a session. */
    public record User(String passwordHash, List<String> roles) {
        public User {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }

    /** A tool's bearer token. */
    public record Token(String sha256, List<String> roles) {
        public Token {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }

    /** The users as accounts checked by the login form. */
    public List<Account> userAccounts() {
        List<Account> accounts = new ArrayList<>();
        users.forEach((name, user) -> accounts.add(new Account(name, user.passwordHash(),
                roles("pulse.security.users." + name + ".roles", user.roles()))));
        return accounts;
    }

    /** The tokens as accounts whose secret hash is the token's SHA-256. */
    public List<Account> tokenAccounts() {
        List<Account> accounts = new ArrayList<>();
        tokens.forEach((name, token) -> accounts.add(new Account(name, token.sha256(),
                roles("pulse.security.tokens." + name + ".roles", token.roles()))));
        return accounts;
    }

    /** The session key's bytes; null when none is configured. */
    public byte[] sessionKeyBytes() {
        return sessionKey == null || sessionKey.isBlank() ? null : sessionKeyBytes(sessionKey);
    }

    private static byte[] sessionKeyBytes(String base64) {
        byte[] key;
        try {
            key = java.util.Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pulse.security.session-key is not base64 (openssl rand -base64 32)");
        }
        if (key.length < 32) {
            throw new IllegalArgumentException("pulse.security.session-key must decode to at least 32 bytes, had " + key.length
                    + " (openssl rand -base64 32)");
        }
        return key;
    }

    @Override
    public String toString() {
        return "SecurityProperties[users=" + users.keySet() + ", tokens=" + tokens.keySet() + ", sessionTimeout=" + sessionTimeout + "]";
    }

    private static Set<Role> roles(String where, List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException(where + " is empty: name at least one of viewer, coordinator, ingest, admin");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : names) {
            try {
                roles.add(Role.parse(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return roles;
    }
}
