package dev.pulse.rules;

import static dev.pulse.rules.RulesHarness.FAMILY;
import static dev.pulse.rules.RulesHarness.matchedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SPEC §3.3, §7 overdue_no_payment: PaymentOverdue o; first ReminderSent r in (t(o), t(o) + 1d]; no PaymentReceived
 * in (t(o), t(r) + 48h]; fires when the watermark is greater than t(r) + 48h, detected at that deadline.
 */
class OverdueNoPaymentTest {

    private static final String PATTERN = "overdue_no_payment";
    private static final Instant O = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant R = O.plus(Duration.ofHours(2));
    private static final Instant DEADLINE = R.plus(Duration.ofHours(48));
    private static final Duration MS = Duration.ofMillis(1);

    private final RulesHarness harness = RulesHarness.defaults();

    private static Event overdue(String id, Instant t) {
        return Events.of("PaymentOverdue", FAMILY).id(id).at(t).build();
    }

    private static Event reminder(String id, Instant t) {
        return Events.of("ReminderSent", FAMILY).id(id).at(t).build();
    }

    private static Event payment(String id, Instant t) {
        return Events.payment(FAMILY).id(id).at(t).build();
    }

    @Test
    void shouldNotDetectWhenPaidAt47h59mAfterReminder() {
        harness.arrive(overdue("o", O), reminder("r", R), payment("p", R.plus(Duration.ofHours(47).plusMinutes(59))));

        assertThat(harness.watermark(DEADLINE.plus(Duration.ofDays(1)))).isEmpty();
        assertThat(harness.rules.wakeUpAfter()).isEmpty();
    }

    @Test
    void shouldDetectWhenPaidAt48h01mAfterReminder() {
        harness.arrive(overdue("o", O), reminder("r", R), payment("p", R.plus(Duration.ofHours(48).plusMinutes(1))));

        List<DetectionChange> changes = harness.watermark(DEADLINE.plus(MS));

        assertThat(changes).singleElement().isInstanceOf(DetectionChange.Emitted.class).satisfies(c -> {
            Detection d = c.detection();
            assertThat(d.anchor()).isEqualTo("o");
            assertThat(matchedIds(d)).containsExactly("o", "r");
            assertThat(d.detectedAt()).isEqualTo(DEADLINE);
            assertThat(d.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(d.details()).containsEntry("deadline", DEADLINE.toString());
        });
    }

    @Test
    void shouldWaitWhenWatermarkIsExactlyAtDeadline() {
        harness.arrive(overdue("o", O), reminder("r", R));
        assertThat(harness.rules.wakeUpAfter()).contains(DEADLINE);

        assertThat(harness.watermark(DEADLINE)).isEmpty();
        assertThat(harness.watermark(DEADLINE.plus(MS))).hasSize(1);
    }

    @Test
    void shouldCountReminderSentExactlyOneDayAfterOverdue() {
        Instant r = O.plus(Duration.ofDays(1));
        harness.arrive(overdue("o", O), reminder("r", r));

        assertThat(harness.watermark(r.plus(Duration.ofHours(48)).plus(MS))).singleElement()
                .satisfies(c -> assertThat(c.detection().detectedAt()).isEqualTo(r.plus(Duration.ofHours(48))));
    }

    @Test
    void shouldNotCountReminderSentOneDayAndOneMillisecondAfterOverdue() {
        harness.arrive(overdue("o", O), reminder("r", O.plus(Duration.ofDays(1)).plus(MS)));
        assertThat(harness.rules.wakeUpAfter()).contains(O.plus(Duration.ofDays(1)));

        assertThat(harness.watermark(O.plus(Duration.ofDays(10)))).isEmpty();
        assertThat(harness.rules.wakeUpAfter()).isEmpty();
    }

    @Test
    void shouldNotRevisitWhenLatePaymentArrivesAfterDeadlineFired() {
        harness.arrive(overdue("o", O), reminder("r", R));
        harness.watermark(DEADLINE.plus(MS));
        assertThat(harness.active()).hasSize(1);

        assertThat(harness.arrive(payment("p-late", R.plus(Duration.ofHours(1))))).isEmpty();
        assertThat(harness.watermark(DEADLINE.plus(Duration.ofDays(5)))).isEmpty();
        assertThat(harness.active()).hasSize(1);
    }

    @Test
    void shouldTakeDeadlineFromFirstReminderWhenSeveralFollow() {
        Instant second = O.plus(Duration.ofHours(10));
        // paid after the first reminder's deadline, though before the second's
        harness.arrive(overdue("o", O), reminder("r1", R), reminder("r2", second), payment("p", DEADLINE.plus(Duration.ofHours(1))));

        assertThat(harness.watermark(second.plus(Duration.ofHours(49)))).singleElement()
                .satisfies(c -> assertThat(matchedIds(c.detection())).containsExactly("o", "r1"));
    }

    @Test
    void shouldMoveDeadlineEarlierWhenEarlierReminderArrivesLate() {
        harness.arrive(overdue("o", O), reminder("r2", O.plus(Duration.ofHours(10))));
        assertThat(harness.rules.wakeUpAfter()).contains(O.plus(Duration.ofHours(58)));

        harness.arrive(reminder("r1", R));

        assertThat(harness.rules.wakeUpAfter()).contains(DEADLINE);
    }

    @Test
    void shouldIgnorePaymentAtTheInstantOfOverdue() {
        harness.arrive(payment("p", O), overdue("o", O), reminder("r", R));

        assertThat(harness.watermark(DEADLINE.plus(MS))).hasSize(1);
    }

    @Test
    void shouldNotDetectWhenPaidBeforeReminder() {
        harness.arrive(overdue("o", O), payment("p", O.plus(Duration.ofHours(1))), reminder("r", R));

        assertThat(harness.watermark(DEADLINE.plus(MS))).isEmpty();
    }

    @Test
    void shouldFireAtNextWatermarkWhenOverdueArrivesAfterItsDeadlinePassed() {
        harness.watermark(DEADLINE.plus(Duration.ofHours(1)));
        harness.arrive(reminder("r", R), overdue("o", O));

        assertThat(harness.watermark(DEADLINE.plus(Duration.ofHours(1)))).hasSize(1);
    }

    @Test
    void shouldNotFireBeforeWatermarkPassesWhenOnlyEventsArrive() {
        List<DetectionChange> changes = harness.arrive(overdue("o", O), reminder("r", R),
                Events.login(FAMILY).id("late-in-stream").at(DEADLINE.plus(Duration.ofDays(1))).build());

        assertThat(changes).isEmpty();
    }
}
