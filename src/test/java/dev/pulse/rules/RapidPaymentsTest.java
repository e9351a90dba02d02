package dev.pulse.rules;

import static dev.pulse.rules.RulesHarness.FAMILY;
import static dev.pulse.rules.RulesHarness.matchedIds;
import static dev.pulse.rules.RulesHarness.ofPattern;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC §3.3 rapid_payments: ≥ 3 payments (incl. e) with t in [t(e) − 10m, t(e)]. Amounts differ, so no duplicates interfere. */
class RapidPaymentsTest {

    private static final String PATTERN = "rapid_payments";

    private final RulesHarness harness = RulesHarness.defaults();

    private static Event payment(String id, String time, String amount) {
        return Events.payment(FAMILY).id(id).at(time).amount(amount).build();
    }

    @Test
    void shouldNotDetectWhenOnlyTwoPaymentsInWindow() {
        harness.arrive(payment("p1", "09:00:00Z", "10"), payment("p2", "09:05:00Z", "20"));

        assertThat(harness.active(PATTERN)).isEmpty();
    }

    @Test
    void shouldDetectAtThirdPaymentWhenThreePaymentsInWindow() {
        harness.arrive(payment("p1", "09:00:00Z", "10"), payment("p2", "09:05:00Z", "20"));

        List<DetectionChange> changes = ofPattern(harness.arrive(payment("p3", "09:09:00Z", "30")), PATTERN);

        assertThat(changes).singleElement().isInstanceOf(DetectionChange.Emitted.class).satisfies(c -> {
            assertThat(c.detection().anchor()).isEqualTo("p3");
            assertThat(matchedIds(c.detection())).containsExactly("p1", "p2", "p3");
            assertThat(c.detection().details()).containsEntry("count", 3);
            assertThat(c.detection().severity()).isEqualTo(Severity.WARNING);
            assertThat(c.detection().confidence()).isEqualByComparingTo("1");
        });
    }

    @Test
    void shouldDetectWhenFirstAndThirdAreExactlyTenMinutesApart() {
        harness.arrive(payment("p1", "09:00:00Z", "10"), payment("p2", "09:05:00Z", "20"), payment("p3", "09:10:00Z", "30"));

        assertThat(harness.active(PATTERN)).singleElement().extracting(Detection::anchor).isEqualTo("p3");
    }

    @Test
    void shouldNotDetectWhenFirstAndThirdAreTenMinutesAndOneMillisecondApart() {
        harness.arrive(payment("p1", "09:00:00Z", "10"), payment("p2", "09:05:00Z", "20"), payment("p3", "09:10:00.001Z", "30"));

        assertThat(harness.active(PATTERN)).isEmpty();
    }

    @Test
    void shouldEmitAndUpdateWhenLatePaymentLandsInsideWindows() {
        harness.arrive(payment("p1", "09:00:00Z", "10"), payment("p2", "09:02:00Z", "20"), payment("p4", "09:09:00Z", "40"));
        assertThat(harness.active(PATTERN)).singleElement().extracting(Detection::anchor).isEqualTo("p4");

        List<DetectionChange> changes = ofPattern(harness.arrive(payment("p3", "09:05:00Z", "30")), PATTERN);

        assertThat(changes).hasSize(2);
        assertThat(changes.get(0)).isInstanceOf(DetectionChange.Emitted.class);
        assertThat(matchedIds(changes.get(0).detection())).containsExactly("p1", "p2", "p3");
        assertThat(changes.get(1)).isInstanceOf(DetectionChange.Updated.class);
        assertThat(changes.get(1).detection().anchor()).isEqualTo("p4");
        assertThat(matchedIds(changes.get(1).detection())).containsExactly("p1", "p2", "p3", "p4");
        assertThat(changes.get(1).detection().details()).containsEntry("count", 4);
    }

    @Test
    void shouldEmitForLaterAnchorWhenLatePaymentCompletesItsWindow() {
        harness.arrive(payment("p2", "09:04:00Z", "20"), payment("p3", "09:10:00Z", "30"));

        List<DetectionChange> changes = ofPattern(harness.arrive(payment("p1", "09:00:00Z", "10")), PATTERN);

        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c).isInstanceOf(DetectionChange.Emitted.class);
            assertThat(c.detection().anchor()).isEqualTo("p3");
            assertThat(c.detection().detectedAt()).isEqualTo(Events.payment(FAMILY).at("09:10:00Z").build().eventTimestamp());
        });
    }
}
