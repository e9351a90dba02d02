package dev.pulse.security;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import reactor.core.publisher.Mono;

/**
 * Authenticates a {@link BearerToken} against the SHA-256 hashes of {@code pulse.security.tokens}. The lookup is by
 * hash, so the time it takes says nothing about the token: learning it would need a preimage of SHA-256.
 */
public final class ConfiguredTokens implements ReactiveAuthenticationManager {

    private final Map<String, Account> byHash;

    public ConfiguredTokens(List<Account> accounts) {
        this.byHash = accounts.stream().collect(Collectors.toUnmodifiableMap(Account::secretHash, Function.identity()));
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        if (!(authentication instanceof BearerToken bearer)) {
            return Mono.empty();
        }
        Account account = byHash.get(SecretHashes.hashToken((String) bearer.getCredentials()));
        if (account == null) {
            // The same answer for an unknown, a malformed and an empty token (SPEC §5.5: do not reveal what was wrong).
            return Mono.error(new BadCredentialsException("bad credentials"));
        }
        return Mono.just(UsernamePasswordAuthenticationToken.authenticated(account.name(), null, account.authorities()));
    }
}
