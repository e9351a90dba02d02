package dev.pulse.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A token as a request presented it ({@code Authorization: Bearer ...}), not authenticated yet. */
final class BearerToken extends AbstractAuthenticationToken {

    private final String token;

    BearerToken(String token) {
        super(List.of());
        this.token = token;
        setAuthenticated(false);
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public Object getPrincipal() {
        return null;
    }

    @Override
    public String toString() {
        return "BearerToken[hidden]";
    }
}
