package dev.pulse.family;

import java.util.Arrays;
import java.util.Optional;

/** A family's alert level (SPEC §3.1), in rising severity: the ordinal is the rank. */
public enum AlertLevel {
    NONE("none"), WATCH("watch"), WARNING("warning"), CRITICAL("critical");

    private final String wireName;

    AlertLevel(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public int rank() {
        return ordinal();
    }

    public static Optional<AlertLevel> fromWireName(String name) {
        return Arrays.stream(values()).filter(l -> l.wireName.equals(name)).findFirst();
    }
}
