package dev.pulse.rules;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * Drop in a window (SPEC §3.3 {@code engagement_rapid_drop}): an event e of {@code eventType} (satisfying
 * {@code where}, with a numeric {@code field}) such that (the largest value among such events with t in
 * {@code [t(e) − window, t(e)]}) − value(e) is greater than {@code dropAbove}. Anchor e; matched: the
 * maximum event (the latest in SPEC §7 order on ties) and e; details {@code max}, {@code value},
 * {@code drop}; detected at t(e). A late event in the window can emit it or change its maximum (update).
 */
public record DropRule(String name, Severity severity, BigDecimal confidence,
                       String eventType, List<DataCondition> where, String field, Duration window,
                       BigDecimal dropAbove) implements Rule {

    public DropRule {
        confidence = RuleFields.confidence(confidence);
        where = RuleFields.copyOrEmpty(where);
    }

    @Override
    public RuleKind kind() {
        return RuleKind.DROP;
    }
}
