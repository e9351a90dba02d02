package dev.pulse.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The roles of SPEC §5.5. A role implies the ones below it, so that the rules in {@link AccessRules} name the
 * least role an endpoint needs: {@code admin} implies every role, {@code coordinator} implies {@code viewer};
 * {@code ingest} stands apart (a load generator's token may post events but read nothing).
 */
public enum Role {
    VIEWER, COORDINATOR, INGEST, ADMIN;

    /** The spelling used in configuration: {@code viewer}, {@code coordinator}, {@code ingest}, {@code admin}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code ROLE_VIEWER} etc.: what Spring Security's {@code hasRole("VIEWER")} looks for. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** This role and every role it implies. */
    public Set<Role> implied() {
        return switch (this) {
            case ADMIN -> EnumSet.allOf(Role.class);
            case COORDINATOR -> EnumSet.of(COORDINATOR, VIEWER);
            case VIEWER -> EnumSet.of(VIEWER);
            case INGEST -> EnumSet.of(INGEST);
        };
    }

    /** The role of that configuration name; an unknown name is refused with the known ones listed. */
    public static Role parse(String name) {
        for (Role role : values()) {
            if (role.configName().equals(name == null ? null : name.strip())) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "'; known roles: "
                + Arrays.stream(values()).map(Role::configName).collect(Collectors.joining(", ")));
    }
}
