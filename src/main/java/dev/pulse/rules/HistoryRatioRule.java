package dev.pulse.rules;

import java.math.BigDecimal;
import java.util.List;

/**
 * Ratio to history, as known on arrival (SPEC §3.3 {@code unusual_amount}, §7): an event e of
 * {@code eventType} (satisfying {@code where}, with a numeric {@code field}) whose value is greater than
 * {@code factor} × the mean of the values of such events with strictly earlier event time that had arrived
 * before e, when there are at least {@code minEarlier} of them. Evaluated once, on e's arrival; never
 * updated or retracted, so it is the one result that depends on arrival order. Anchor e; matched: e;
 * details: the value (under the field's name), {@code mean}, {@code earlier}; detected at t(e).
 */
public record HistoryRatioRule(String name, Severity severity, BigDecimal confidence,
                               String eventType, List<DataCondition> where, String field, BigDecimal factor,
                               int minEarlier) implements Rule {

    public HistoryRatioRule {
        confidence = RuleFields.confidence(confidence);
        where = RuleFields.copyOrEmpty(where);
    }

    @Override
    public RuleKind kind() {
        return RuleKind.HISTORY_RATIO;
    }
}
