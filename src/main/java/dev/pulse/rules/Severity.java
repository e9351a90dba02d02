package dev.pulse.rules;

import java.util.Optional;

/** Severity of a detection (SPEC §3.3): info < watch < warning < critical; the ordinal is the rank. */
public enum Severity {
    INFO("info"), WATCH("watch"), WARNING("warning"), CRITICAL("critical");

    private final String wireName;

    Severity(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public int rank() {
        return ordinal();
    }

    public static Optional<Severity> fromWireName(String name) {
        // A loop over one shared array: values() copies it, and a stream costs more than the four comparisons.
        for (Severity s : VALUES) {
            if (s.wireName.equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static final Severity[] VALUES = values();
}
