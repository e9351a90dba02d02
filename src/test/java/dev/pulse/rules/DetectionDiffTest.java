package dev.pulse.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC §4.1 backtest: detections compared by id, and the changes of a run folded to what is active at its end. */
class DetectionDiffTest {

    private static Detection detection(String pattern, String anchor, String at) {
        return Detection.of(pattern, "family-1", anchor, Severity.WARNING, BigDecimal.ONE, List.of(), Instant.parse(at), Map.of());
    }

    @Test
    void shouldSplitByIdIntoAddedRemovedAndUnchangedWithCountsPerPattern() {
        Detection kept = detection("rapid_payments", "p3", "2026-11-23T10:03:00Z");
        Detection gone = detection("duplicate_payment", "p2", "2026-11-23T10:02:00Z");
        Detection newer = detection("rapid_payments", "p2", "2026-11-23T10:02:00Z");
        Detection keptAgain = detection("rapid_payments", "p3", "2026-11-23T10:03:00Z");

        DetectionDiff diff = DetectionDiff.of(List.of(kept, gone), List.of(keptAgain, newer));

        assertThat(diff.added()).containsExactly(newer);
        assertThat(diff.removed()).containsExactly(gone);
        assertThat(diff.unchanged()).containsExactly(keptAgain);
        assertThat(diff.countsByPattern()).containsExactly(
                Map.entry("duplicate_payment", new DetectionDiff.Counts(0, 1, 0)),
                Map.entry("rapid_payments", new DetectionDiff.Counts(1, 0, 1)));
    }

    @Test
    void shouldSortEachListByPatternThenTimeThenIdWhenDiffing() {
        Detection late = detection("rapid_payments", "p9", "2026-11-23T11:00:00Z");
        Detection early = detection("rapid_payments", "p1", "2026-11-23T09:00:00Z");
        Detection other = detection("duplicate_payment", "p5", "2026-11-23T12:00:00Z");
        assertThat(DetectionDiff.of(List.of(), List.of(late, other, early)).added()).containsExactly(other, early, late);
    }

    @Test
    void shouldKeepOnlyCountedDetectionsActiveAtTheEndWhenFoldingChanges() {
        Detection emitted = detection("rapid_payments", "p3", "2026-11-23T10:03:00Z");
        Detection retracted = detection("repeated_email_bounces", "b3", "2026-11-23T10:05:00Z");
        Detection outside = detection("rapid_payments", "p0", "2026-11-22T10:00:00Z");
        DetectionDiff.Active active = new DetectionDiff.Active(d -> !d.anchor().equals("p0"));

        active.apply(List.of(new DetectionChange.Emitted(emitted), new DetectionChange.Emitted(retracted),
                new DetectionChange.Emitted(outside)));
        active.apply(List.of(new DetectionChange.Retracted(retracted), new DetectionChange.Updated(emitted)));

        assertThat(active.detections()).containsExactly(emitted);
    }
}
