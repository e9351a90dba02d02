package dev.pulse.rules;

import java.math.BigDecimal;

/**
 * One rule of a {@link RuleSet} (SPEC §3.3 "rules are data, not code"): a named pattern of one
 * {@link RuleKind}, with a severity, a confidence and the kind's parameters.
 * <p>
 * The records hold what the rule set says, with only the documented defaults filled in (confidence 1.0,
 * no {@code where} conditions, ...); they do not reject values, so {@link RuleSetValidator} can report
 * every problem of a set at once, naming the rule and the field. {@link CompiledRules#compile} refuses an
 * invalid set. Event types are written as an exact type ({@code PaymentReceived}), a prefix ending in
 * {@code *} ({@code Email*}), or {@code *} for every type; a type Pulse does not know is allowed.
 */
public sealed interface Rule permits ThresholdRule, SameValueRule, HistoryRatioRule, DropRule, SequenceRule, RunRule, JoinRule, RiskRule {

    /** The pattern name, as detections carry it ({@code rapid_payments}); unique within a set. */
    String name();

    RuleKind kind();

    Severity severity();

    /** In {@code (0, 1]}; 1.0 unless the rule says otherwise. */
    BigDecimal confidence();
}
