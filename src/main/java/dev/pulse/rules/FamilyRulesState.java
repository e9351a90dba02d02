package dev.pulse.rules;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The persisted form of one family's rule state, for the checkpoint (SPEC §4): what cannot be re-derived from
 * the family's retained events. Revisable detections are re-derived from the timeline on restore
 * ({@link CompiledRules#restore}); the "as known on arrival" history and the absences still waiting for their
 * deadline are kept here. Entries of patterns the restoring rule set does not have are ignored.
 *
 * @param frozenBefore anchors before this instant are no longer re-evaluated
 */
public record FamilyRulesState(String familyId, Instant frozenBefore, List<History> histories, List<PendingAbsence> pending) {

    public FamilyRulesState {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(frozenBefore, "frozenBefore");
        histories = List.copyOf(histories);
        pending = List.copyOf(pending);
    }

    /** A history-ratio rule's arrived values: a base folded from old buckets, and per-instant buckets. */
    public record History(String pattern, BigDecimal baseSum, long baseCount, List<Bucket> buckets) {

        public History {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(baseSum, "baseSum");
            buckets = List.copyOf(buckets);
        }
    }

    /** The sum and count of the values at one event time. */
    public record Bucket(Instant at, BigDecimal sum, long count) {

        public Bucket {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(sum, "sum");
        }
    }

    /** An absence anchor waiting for the watermark to pass its deadline. */
    public record PendingAbsence(String pattern, String anchorEventId, Instant anchorTime, Instant deadline) {

        public PendingAbsence {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(anchorEventId, "anchorEventId");
            Objects.requireNonNull(anchorTime, "anchorTime");
            Objects.requireNonNull(deadline, "deadline");
        }
    }
}
