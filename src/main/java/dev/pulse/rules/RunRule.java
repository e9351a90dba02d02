package dev.pulse.rules;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * A run of one type (SPEC §3.3 {@code repeated_email_bounces}): an event e of {@code eventType} such that
 * the family's last {@code count} events up to and including e (SPEC §7 order) span at most {@code within}
 * ({@code t(last) − t(first) ≤ within}) and
 * <ul>
 *   <li>{@link Contiguity#STRICT} (the default): the last {@code count} events of {@code scope} up to e are
 *       all of {@code eventType}, so an event of the scope of another type between them breaks the run;</li>
 *   <li>{@link Contiguity#RELAXED}: the last {@code count} events of {@code eventType} up to e are taken,
 *       whatever lies between them.</li>
 * </ul>
 * Anchor e; matched: the {@code count} events; details {@code count}; detected at t(e). An event landing
 * inside the run re-evaluates it: an {@code EmailOpened} between three bounces retracts (SPEC §7).
 * {@code scope} defaults to every type ({@code *}).
 */
public record RunRule(String name, Severity severity, BigDecimal confidence,
                      String scope, String eventType, int count, Duration within,
                      Contiguity contiguity) implements Rule {

    public RunRule {
        confidence = RuleFields.confidence(confidence);
        scope = scope == null ? RuleFields.ANY_TYPE : scope;
        contiguity = contiguity == null ? Contiguity.STRICT : contiguity;
    }

    @Override
    public RuleKind kind() {
        return RuleKind.RUN;
    }
}
