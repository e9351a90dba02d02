package dev.pulse.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Keeps a browser's login in a signed cookie instead of the server's in-memory session (SPEC §5.5 "session cookie"),
 * so that the login outlives a restart and holds on every instance behind a load balancer: an open dashboard
 * reconnects its WebSocket to a restarted or other Pulse without a new login (SPEC §5.4).
 * <p>
 * The cookie is {@code base64url(user).expiry.base64url(HMAC-SHA256(key, base64url(user).expiry))}: HttpOnly,
 * SameSite=Lax, Secure over HTTPS. It holds no role: each request looks the user up in the configuration, so a user
 * removed or demoted there loses access at once. The price of being stateless: logging out deletes the cookie in the
 * browser, but a copy stolen before stays valid until it expires ({@code pulse.security.session-timeout}).
 */
public final class SignedSessionCookie implements ServerSecurityContextRepository {

    public static final String NAME = "PULSE_SESSION";
    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Duration lifetime;
    private final InstantSource clock;
    private final ReactiveUserDetailsService users;

    /** @param key at least 32 bytes (HMAC-SHA256's block of security) */
    public SignedSessionCookie(byte[] key, Duration lifetime, InstantSource clock, ReactiveUserDetailsService users) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the session key must have at least 32 bytes, had " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.users = Objects.requireNonNull(users, "users");
    }

    @Override
    public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
        boolean secure = exchange.getRequest().getSslInfo() != null;
        ResponseCookie.ResponseCookieBuilder cookie = ResponseCookie.from(NAME).path("/").httpOnly(true).sameSite("Lax").secure(secure);
        if (context == null || context.getAuthentication() == null) {
            exchange.getResponse().addCookie(cookie.value("").maxAge(0).build());   // logout
        } else {
            long expiry = clock.instant().plus(lifetime).getEpochSecond();
            exchange.getResponse().addCookie(cookie.value(sign(context.getAuthentication().getName(), expiry))
                    .maxAge(lifetime).build());
        }
        return Mono.empty();
    }

    @Override
    public Mono<SecurityContext> load(ServerWebExchange exchange) {
        String user = verifiedUser(exchange.getRequest());
        if (user == null) {
            return Mono.empty();
        }
        return users.findByUsername(user).map(details -> new SecurityContextImpl(
                UsernamePasswordAuthenticationToken.authenticated(details.getUsername(), null, details.getAuthorities())));
    }

    /** True if the request carries this cookie at all (valid or not). */
    static boolean present(ServerHttpRequest request) {
        HttpCookie cookie = request.getCookies().getFirst(NAME);
        return cookie != null && !cookie.getValue().isBlank();
    }

    String sign(String user, long expiryEpochSecond) {
        String payload = ENCODE.encodeToString(user.getBytes(StandardCharsets.UTF_8)) + "." + expiryEpochSecond;
        return payload + "." + ENCODE.encodeToString(mac(payload));
    }

    /** The user a valid, unexpired cookie names; null for none, a forged or an expired one. */
    String verifiedUser(ServerHttpRequest request) {
        HttpCookie cookie = request.getCookies().getFirst(NAME);
        if (cookie == null) {
            return null;
        }
        String[] parts = cookie.getValue().split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            byte[] expected = mac(parts[0] + "." + parts[1]);
            if (!MessageDigest.isEqual(expected, DECODE.decode(parts[2]))   // constant time
                    || Long.parseLong(parts[1]) <= clock.instant().getEpochSecond()) {
                return null;
            }
            return new String(DECODE.decode(parts[0]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {   // bad base64 or number
            return null;
        }
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
