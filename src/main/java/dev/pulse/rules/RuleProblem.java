package dev.pulse.rules;

import java.util.Objects;

/**
 * Why a rule set is refused: the rule (its name, or {@code #i} for the i-th (0-based) rule when it has no usable
 * name; null for the set itself), the field, and what is wrong with it.
 */
public record RuleProblem(String rule, String field, String reason) {

    public RuleProblem {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(reason, "reason");
    }

    /** E.g. {@code rule 'rapid_payments': window must be positive, was PT0S}. */
    public String message() {
        return (rule == null ? "rule set" : "rule '" + rule + "'") + ": " + field + " " + reason;
    }

    @Override
    public String toString() {
        return message();
    }
}
