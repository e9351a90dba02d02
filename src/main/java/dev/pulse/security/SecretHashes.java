package dev.pulse.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * How Pulse stores secrets (SPEC §5.5: passwords and tokens stored hashed).
 * <ul>
 *   <li>Passwords: BCrypt behind Spring Security's {@code DelegatingPasswordEncoder}, written {@code {bcrypt}$2a$10$...}.
 *       A password is chosen by a person and may be guessable, so its hash must be slow. Only {@code {bcrypt}} is
 *       accepted: {@code {noop}} would be a plain password in the configuration, and Argon2/SCrypt need
 *       BouncyCastle, which Pulse does not ship.</li>
 *   <li>Tokens: the SHA-256 of the token, as 64 hex digits. A token is machine-made with at least 128 random bits, so
 *       nobody can guess it from a fast hash either; and a slow hash would cost every REST, SSE and ingest request
 *       ~100 ms of CPU, since a token comes with every request rather than once per session.</li>
 * </ul>
 */
public final class SecretHashes {

    /** Spring Security's own check of a BCrypt hash ({@code BCryptPasswordEncoder}). */
    private static final Pattern BCRYPT = Pattern.compile("\\{bcrypt}\\$2[aby]?\\$(0[4-9]|[12][0-9]|3[01])\\$[./0-9A-Za-z]{53}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private SecretHashes() {
    }

    /** The encoder that checks form-login passwords against {@code {bcrypt}} hashes. */
    public static PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** A {@code {bcrypt}} hash of the password, for {@code pulse.security.users.<name>.password-hash}. */
    public static String hashPassword(CharSequence password) {
        return passwordEncoder().encode(password);
    }

    /** The lower-case hex SHA-256 of the token, for {@code pulse.security.tokens.<name>.sha256}. */
    public static String hashToken(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Refuses anything but a well-formed {@code {bcrypt}} hash, never echoing the value (it may be a plain password). */
    public static void requirePasswordHash(String where, String hash) {
        if (hash == null || hash.isBlank()) {
            throw new IllegalArgumentException(where + " is missing: give a {bcrypt} hash (README \"Security\")");
        }
        if (!BCRYPT.matcher(hash).matches()) {
            throw new IllegalArgumentException(where + " is not a {bcrypt} hash (expected {bcrypt}$2a$<cost>$ and 53 characters;"
                    + " plain or {noop} passwords are refused; make one as README \"Security\" shows)");
        }
    }

    /** Refuses anything but 64 lower-case hex digits. */
    public static void requireTokenHash(String where, String hash) {
        if (hash == null || !SHA256_HEX.matcher(hash).matches()) {
            throw new IllegalArgumentException(where + " must be the SHA-256 of the token as 64 lower-case hex digits"
                    + " (printf %s \"$TOKEN\" | sha256sum)");
        }
    }
}
