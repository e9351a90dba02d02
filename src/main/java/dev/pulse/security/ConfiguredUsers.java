package dev.pulse.security;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import reactor.core.publisher.Mono;

/**
 * The users of {@code pulse.security.users}, for the login form. Unlike Spring's {@code MapReactiveUserDetailsService}
 * it may be empty: a Pulse configured without users still starts (and nobody can log in).
 */
public final class ConfiguredUsers implements ReactiveUserDetailsService {

    private final Map<String, Account> byName;

    public ConfiguredUsers(List<Account> accounts) {
        this.byName = accounts.stream().collect(Collectors.toUnmodifiableMap(Account::name, Function.identity()));
    }

    @Override
    public Mono<UserDetails> findByUsername(String username) {
        Account account = byName.get(username);
        if (account == null) {
            return Mono.empty();
        }
        // A fresh object each time: Spring erases the credentials of the one it authenticated.
        return Mono.just(User.withUsername(account.name()).password(account.secretHash())
                .authorities(account.authorities()).build());
    }
}
