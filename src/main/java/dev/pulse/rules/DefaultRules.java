package dev.pulse.rules;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * The default rule set: the patterns of SPEC §3.3, the join of §3.5 and the risk rule of §3.7 with the spec's
 * thresholds, written in the declarative form. {@code engagement_alert} is not among them: it derives from the family's alert-level history
 * (package {@code engine}), not from a rule of this form.
 */
public final class DefaultRules {

    public static final String VERSION = "spec-v1";

    private DefaultRules() {
    }

    /**
     * duplicate_payment, rapid_payments, unusual_amount, engagement_rapid_drop, overdue_no_payment,
     * repeated_email_bounces (SPEC §3.3), login_payment_country_mismatch (SPEC §3.5) and risk_high (SPEC §3.7: the
     * risk score rising above 0.8; it fires only where a risk model is configured).
     */
    public static RuleSet spec() {
        return new RuleSet(VERSION, List.of(
                new SameValueRule("duplicate_payment", Severity.WARNING, new BigDecimal("0.95"),
                        "PaymentReceived", List.of(), List.of("amount", "currency"), 2, Duration.ofMinutes(10)),
                new ThresholdRule("rapid_payments", Severity.WARNING, null,
                        "PaymentReceived", List.of(), 3, Duration.ofMinutes(10)),
                new HistoryRatioRule("unusual_amount", Severity.WATCH, null,
                        "PaymentReceived", List.of(), "amount", BigDecimal.valueOf(3), 3),
                new DropRule("engagement_rapid_drop", Severity.CRITICAL, null,
                        "EngagementScoreUpdated", List.of(), "new_score", Duration.ofMinutes(5), BigDecimal.valueOf(30)),
                new SequenceRule("overdue_no_payment", Severity.CRITICAL, null,
                        "PaymentOverdue", "ReminderSent", Duration.ofDays(1),
                        "PaymentReceived", Duration.ofHours(48), Contiguity.RELAXED, "*"),
                new RunRule("repeated_email_bounces", Severity.WARNING, null,
                        "Email*", "EmailBounced", 3, Duration.ofDays(7), Contiguity.STRICT),
                new JoinRule("login_payment_country_mismatch", Severity.WARNING, null,
                        "UserLogin", "PaymentReceived", Duration.ofMinutes(5), "country", JoinRule.Relation.DIFFER),
                new RiskRule("risk_high", Severity.WARNING, null, new BigDecimal("0.8"))));
    }
}
