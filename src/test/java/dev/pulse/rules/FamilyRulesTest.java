package dev.pulse.rules;

import static dev.pulse.rules.RulesHarness.FAMILY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.stream.operator.FamilyTimeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The step function around the rules: its contract with the caller, the frozen horizon, and checkpoint state. */
class FamilyRulesTest {

    private static final CompiledRules DEFAULTS = CompiledRules.compile(DefaultRules.spec());

    private static Event payment(String id, String time, String amount) {
        return Events.payment(FAMILY).id(id).at(time).amount(amount).build();
    }

    @Test
    void shouldDeriveLookbackAndRetentionFromLongestRule() {
        // repeated_email_bounces: 7d is longer than overdue's 1d + 48h
        assertThat(DEFAULTS.lookback()).isEqualTo(Duration.ofDays(7));
        assertThat(DEFAULTS.retention()).isEqualTo(Duration.ofDays(14));
        assertThat(DEFAULTS.version()).isEqualTo(DefaultRules.VERSION);
    }

    @Test
    void shouldRefuseEventWhenItIsNotInTimelineAndAssertionsAreOn() {
        FamilyRules rules = DEFAULTS.newFamily(FAMILY);

        assertThatThrownBy(() -> rules.onEvent(new FamilyTimeline(FAMILY), payment("p1", "09:00:00Z", "1"), Instant.MIN))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("p1 must be added to the timeline");
    }

    @Test
    void shouldRefuseTimelineWhenItBelongsToAnotherFamily() {
        FamilyRules rules = DEFAULTS.newFamily(FAMILY);

        assertThatThrownBy(() -> rules.onWatermark(new FamilyTimeline("family-2"), Instant.MIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("family-2");
    }

    @Test
    void shouldAnswerNoChangeWhenSameEventIsEvaluatedAgain() {
        RulesHarness harness = RulesHarness.defaults();
        Event p2 = payment("p2", "09:01:00Z", "5");
        harness.arrive(payment("p1", "09:00:00Z", "5"), p2);

        assertThat(harness.rules.onEvent(harness.timeline, p2, Instant.MIN)).isEmpty();
    }

    @Test
    void shouldNotChangeFrozenAnchorsWhenEventArrivesLaterThanLookbackBehindWatermark() {
        RulesHarness harness = RulesHarness.defaults();
        harness.arrive(payment("p2", "2026-11-01T09:05:00Z", "5"));
        harness.watermark(Instant.parse("2026-11-08T09:05:00.001Z"));   // p2 is now older than watermark − 7d

        assertThat(harness.arrive(payment("p1", "2026-11-01T09:00:00Z", "5"))).isEmpty();
    }

    @Test
    void shouldStillEmitLateDuplicateWhenItIsWithinLookbackBehindWatermark() {
        RulesHarness harness = RulesHarness.defaults();
        harness.arrive(payment("p2", "2026-11-01T09:05:00Z", "5"));
        harness.watermark(Instant.parse("2026-11-08T09:05:00Z"));

        assertThat(harness.arrive(payment("p1", "2026-11-01T09:00:00Z", "5"))).hasSize(1);
    }

    @Test
    void shouldForgetFrozenDetectionsWhenWatermarkMovesOn() {
        RulesHarness harness = RulesHarness.defaults();
        harness.arrive(payment("p1", "2026-11-01T09:00:00Z", "5"), payment("p2", "2026-11-01T09:05:00Z", "5"));
        assertThat(harness.rules.revisable()).hasSize(1);

        harness.watermark(Instant.parse("2026-11-09T00:00:00Z"));

        assertThat(harness.rules.revisable()).isEmpty();
    }

    @Test
    void shouldContinueLikeUninterruptedRunWhenRestoredFromSnapshot() {
        List<Event> before = List.of(
                payment("p1", "2026-11-01T09:00:00Z", "100"), payment("p2", "2026-11-01T10:00:00Z", "100"),
                payment("p3", "2026-11-01T11:00:00Z", "100"),
                Events.of("PaymentOverdue", FAMILY).id("o").at("2026-11-01T12:00:00Z").build(),
                Events.of("ReminderSent", FAMILY).id("r").at("2026-11-01T13:00:00Z").build(),
                Events.of("EmailBounced", FAMILY).id("b1").at("2026-11-01T14:00:00Z").build(),
                Events.of("EmailBounced", FAMILY).id("b2").at("2026-11-01T15:00:00Z").build(),
                Events.of("EmailBounced", FAMILY).id("b3").at("2026-11-01T16:00:00Z").build());
        List<Event> after = List.of(
                Events.of("EmailOpened", FAMILY).id("open").at("2026-11-01T15:30:00Z").build(),   // retracts b3's detection
                payment("p4", "2026-11-01T11:30:00Z", "1000"),                                     // unusual against 3 × 100
                payment("p5", "2026-11-01T11:31:00Z", "1000"));                                    // duplicate of p4
        Instant watermark = Instant.parse("2026-11-01T16:00:00Z");
        Instant later = Instant.parse("2026-11-04T00:00:00Z");                                     // past r + 48h

        RulesHarness uninterrupted = RulesHarness.defaults();
        uninterrupted.arrive(before.toArray(Event[]::new));
        uninterrupted.watermark(watermark);
        FamilyRulesState state = uninterrupted.rules.snapshot();

        FamilyTimeline restoredTimeline = new FamilyTimeline(FAMILY);
        before.forEach(restoredTimeline::add);
        FamilyRules restored = DEFAULTS.restore(state, restoredTimeline, watermark);

        List<DetectionChange> expected = new ArrayList<>(uninterrupted.arrive(after.toArray(Event[]::new)));
        expected.addAll(uninterrupted.watermark(later));
        List<DetectionChange> actual = new ArrayList<>();
        for (Event e : after) {
            restoredTimeline.add(e);
            actual.addAll(restored.onEvent(restoredTimeline, e, watermark));
        }
        actual.addAll(restored.onWatermark(restoredTimeline, later));

        assertThat(expected).extracting(c -> c.getClass().getSimpleName() + " " + c.detection().pattern())
                .contains("Retracted repeated_email_bounces", "Emitted unusual_amount", "Emitted duplicate_payment",
                        "Emitted overdue_no_payment");
        assertThat(actual).isEqualTo(expected);
        assertThat(restored.snapshot()).isEqualTo(uninterrupted.rules.snapshot());
    }

    @Test
    void shouldHoldPendingAbsenceAndHistoryWhenSnapshotTaken() {
        RulesHarness harness = RulesHarness.defaults();
        harness.arrive(payment("p1", "2026-11-01T09:00:00Z", "100"),
                Events.of("PaymentOverdue", FAMILY).id("o").at("2026-11-01T12:00:00Z").build());

        FamilyRulesState state = harness.rules.snapshot();

        assertThat(state.familyId()).isEqualTo(FAMILY);
        assertThat(state.pending()).containsExactly(new FamilyRulesState.PendingAbsence("overdue_no_payment", "o",
                Instant.parse("2026-11-01T12:00:00Z"), Instant.parse("2026-11-02T12:00:00Z")));
        assertThat(state.histories()).singleElement().satisfies(h -> {
            assertThat(h.pattern()).isEqualTo("unusual_amount");
            assertThat(h.buckets()).singleElement().satisfies(b -> assertThat(b.sum()).isEqualByComparingTo("100"));
        });
    }
}
