package dev.pulse.rules;

import java.math.BigDecimal;

/**
 * The risk score rising above a threshold (SPEC §3.7, default {@code risk_high}: above 0.8, warning): a point of
 * the family's event time (an event, or an instant an event leaves a rolling range) where {@code risk_score} (four
 * decimals) is strictly greater than {@code above} while at the point before it was not. Anchor: the event's id, or
 * {@code expiry:<instant>}; matched: the event, or the events leaving a range then; details {@code risk_score},
 * {@code risk_factors}, {@code model_version}, {@code threshold}; detected at the point's instant.
 * <p>
 * Judged by the partition engine from the family's risk history ({@code family.RiskHistory}), not by a
 * per-event matcher: the risk also changes when time alone moves an event out of a range. A late event that
 * changes the history updates, moves or retracts exactly the crossings it changes. Without a risk model the rule
 * never fires.
 */
public record RiskRule(String name, Severity severity, BigDecimal confidence, BigDecimal above) implements Rule {

    public RiskRule {
        confidence = RuleFields.confidence(confidence);
    }

    @Override
    public RuleKind kind() {
        return RuleKind.RISK;
    }
}
