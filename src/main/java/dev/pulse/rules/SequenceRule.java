package dev.pulse.rules;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Sequence with {@code within}, optionally followed by an absence (SPEC §3.3 {@code overdue_no_payment}).
 * For an event o of type {@code first}, r is the first event (SPEC §7 order) of type {@code then} with t in
 * {@code (t(o), t(o) + within]}; with {@link Contiguity#STRICT} r must moreover be the very next event of
 * {@code scope} after o. Anchor o; matched: o and r.
 * <ul>
 *   <li>Without {@code absent}: the detection holds when r exists; detected at t(r). It is evaluated on
 *       arrival and re-evaluated when an event lands between o and o + within (update or retraction).</li>
 *   <li>With {@code absent} (and {@code absentFor}): it holds when moreover no event of type {@code absent}
 *       has t in {@code (t(o), t(r) + absentFor]}. It fires only when the watermark passes (is greater than)
 *       the deadline {@code t(r) + absentFor}, and is detected at that deadline (details {@code deadline}).
 *       Once the deadline is judged (or, with no r, once the watermark passes {@code t(o) + within}), the
 *       anchor is settled and never revisited (SPEC §7).</li>
 * </ul>
 * {@code contiguity} defaults to relaxed and {@code scope} to every type ({@code *}).
 */
public record SequenceRule(String name, Severity severity, BigDecimal confidence,
                           String first, String then, Duration within,
                           String absent, Duration absentFor,
                           Contiguity contiguity, String scope) implements Rule {

    public SequenceRule {
        confidence = RuleFields.confidence(confidence);
        contiguity = contiguity == null ? Contiguity.RELAXED : contiguity;
        scope = scope == null ? RuleFields.ANY_TYPE : scope;
    }

    @Override
    public RuleKind kind() {
        return RuleKind.SEQUENCE;
    }

    public boolean hasAbsence() {
        return absent != null;
    }
}
