package dev.pulse.rules;

import java.util.Arrays;
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
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }
}
