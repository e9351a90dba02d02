package dev.pulse.rules;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored version of the rule set (SPEC §4.1): its number (1, 2, ... in the order they were made), the compiled
 * rules, who made it and when. Detections name the number of the version that produced them.
 *
 * @param changedBy the user who made it ({@code anonymous} until security exists), or {@code configuration}
 *                  for a version taken from {@code pulse.rules} at start
 */
public record RuleVersion(long number, CompiledRules rules, String changedBy, Instant changedAt) {

    public RuleVersion {
        if (number < 1) {
            throw new IllegalArgumentException("a rule version number is >= 1, was " + number);
        }
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(changedBy, "changedBy");
        Objects.requireNonNull(changedAt, "changedAt");
    }
}
