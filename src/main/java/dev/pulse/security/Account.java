package dev.pulse.security;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A configured user or token: its name, the hash of its secret ({@link SecretHashes}) and its roles.
 * {@code toString} leaves the hash out, so that no log line carries it.
 */
public record Account(String name, String secretHash, Set<Role> roles) {

    public Account {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secretHash, "secretHash");
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("account " + name + " has no role");
        }
        roles = Set.copyOf(roles);
    }

    /** The authorities of the roles and of every role they imply ({@link Role#implied()}). */
    public List<GrantedAuthority> authorities() {
        Set<Role> all = EnumSet.noneOf(Role.class);
        roles.forEach(role -> all.addAll(role.implied()));
        return all.stream().map(role -> (GrantedAuthority) new SimpleGrantedAuthority(role.authority())).toList();
    }

    @Override
    public String toString() {
        return "Account[" + name + ", roles=" + roles + "]";
    }
}
