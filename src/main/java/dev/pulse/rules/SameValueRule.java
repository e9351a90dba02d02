package dev.pulse.rules;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * Same-value repeat (SPEC §3.3 {@code duplicate_payment}): an event e of {@code eventType} (satisfying
 * {@code where}) such that at least {@code count} such events, e included, have t in
 * {@code [t(e) − window, t(e)]} and values equal to e's in every field of {@code fields}: numbers compare
 * numerically ({@code 450} = {@code 450.00}), text case-insensitively ({@code EUR} = {@code eur}), and an
 * absent (or null) field equals only an absent one. {@code count} 2 means "at least one other".
 * Anchor e; matched: the equal events; details {@code count} and e's values of {@code fields}; detected at t(e).
 */
public record SameValueRule(String name, Severity severity, BigDecimal confidence,
                            String eventType, List<DataCondition> where, List<String> fields, int count,
                            Duration window) implements Rule {

    public SameValueRule {
        confidence = RuleFields.confidence(confidence);
        where = RuleFields.copyOrEmpty(where);
        fields = RuleFields.copyOrEmpty(fields);
    }

    @Override
    public RuleKind kind() {
        return RuleKind.SAME_VALUE;
    }
}
