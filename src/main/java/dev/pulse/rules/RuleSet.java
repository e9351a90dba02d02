package dev.pulse.rules;

import java.util.List;
import java.util.Optional;

/**
 * A versioned set of rules (SPEC §3.3, §4.1): what {@code pulse.rules} configures and {@code PUT /api/rules}
 * replaces. Holds what was written; {@link RuleSetValidator} judges it.
 *
 * @param version names this set; each detection can name the version that produced it
 */
public record RuleSet(String version, List<Rule> rules) {

    public RuleSet {
        rules = RuleFields.copyOrEmpty(rules);
    }

    public Optional<Rule> rule(String name) {
        return rules.stream().filter(r -> r != null && name.equals(r.name())).findFirst();
    }
}
