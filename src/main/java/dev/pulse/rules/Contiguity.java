package dev.pulse.rules;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a {@link SequenceRule} or {@link RunRule} treats events of its {@code scope} that lie between the
 * events it matches (Flink CEP's {@code next()} versus {@code followedBy()}).
 */
public enum Contiguity {
    /** No other event of the scope may lie between the matched events (in SPEC §7 order). */
    STRICT("strict"),
    /** Other events may lie between the matched events. */
    RELAXED("relaxed");

    private final String wireName;

    Contiguity(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Contiguity> fromWireName(String name) {
        return Arrays.stream(values()).filter(c -> c.wireName.equals(name)).findFirst();
    }
}
