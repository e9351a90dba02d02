package dev.pulse.event;

import java.util.Objects;

/**
 * Why a record is not a valid event: the offending field and the rule it breaks (SPEC §1.1).
 * A value, not an exception: the edge turns it into a {@code 400}/{@code rejected} entry or a DLQ record.
 */
public record Rejection(String field, String rule) {

    public Rejection {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(rule, "rule");
    }

    /** The message shown to clients and written to DLQ headers, e.g. {@code event_id: must be 1..100 characters}. */
    public String message() {
        return field + ": " + rule;
    }

    @Override
    public String toString() {
        return message();
    }
}
