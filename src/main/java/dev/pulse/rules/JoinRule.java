package dev.pulse.rules;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Pairs of one family's events (SPEC §3.5 joins): an event l of type {@code left} and an event r of type
 * {@code right} whose times differ by at most {@code within} ({@code |t(l) − t(r)| ≤ within}), and whose
 * {@code event_data} values of {@code field} are both present and {@link Relation#DIFFER differ} (or are
 * {@link Relation#EQUAL equal}), compared as a same-value repeat compares them (numbers numerically, text
 * case-insensitively).
 * <p>
 * One detection per pair, emitted on the arrival of whichever of the two comes second, detected at the later
 * of their two times, and never revisited: once both events are known the pair holds for good. Anchor
 * {@code pair:<length of l's id>:<l's id>+<r's id>} (so the id derives from both event ids, and no two pairs
 * share one); matched: l and r. The events a pair needs are the family's retained events, pruned by the
 * watermark and kept in the checkpoint like every rule's.
 */
public record JoinRule(String name, Severity severity, BigDecimal confidence,
                       String left, String right, Duration within, String field, Relation relation) implements Rule {

    /** How the two events' values of {@code field} must compare. */
    public enum Relation {
        DIFFER("differ"), EQUAL("equal");

        private final String wireName;

        Relation(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Optional<Relation> fromWireName(String name) {
            return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst();
        }
    }

    public JoinRule {
        confidence = RuleFields.confidence(confidence);
    }

    @Override
    public RuleKind kind() {
        return RuleKind.JOIN;
    }

    /** The anchor of the pair (l, r); see the class comment. */
    static String anchor(String leftId, String rightId) {
        return "pair:" + leftId.length() + ":" + leftId + "+" + rightId;
    }
}
