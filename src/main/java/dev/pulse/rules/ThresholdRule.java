package dev.pulse.rules;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * Threshold in a window (SPEC §3.3 {@code rapid_payments}): an event e of {@code eventType} (satisfying
 * {@code where}) such that at least {@code count} such events, e included, have t in
 * {@code [t(e) − window, t(e)]} (both ends inclusive). Anchor e; matched: all of them; details {@code count};
 * detected at t(e). Re-evaluated when an event lands in the window, so a late event can emit or update it.
 * <p>
 * Example: {@code 5 UserLogin in 1m} is {@code ThresholdRule.of("login_burst", WARNING, "UserLogin", 5, 1m)}.
 */
public record ThresholdRule(String name, Severity severity, BigDecimal confidence,
                            String eventType, List<DataCondition> where, int count, Duration window) implements Rule {

    public ThresholdRule {
        confidence = RuleFields.confidence(confidence);
        where = RuleFields.copyOrEmpty(where);
    }

    /** Confidence 1.0 and no {@code where} conditions. */
    public static ThresholdRule of(String name, Severity severity, String eventType, int count, Duration window) {
        return new ThresholdRule(name, severity, null, eventType, List.of(), count, window);
    }

    @Override
    public RuleKind kind() {
        return RuleKind.THRESHOLD;
    }
}
