package dev.pulse.rules;

import static dev.pulse.rules.RulesHarness.FAMILY;
import static dev.pulse.rules.RulesHarness.matchedIds;
import static dev.pulse.rules.RulesHarness.ofPattern;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SPEC §3.3, §7 unusual_amount: amount > 3 × mean of the payments with strictly earlier event time that had
 * arrived before e, at least 3 of them; judged once, on arrival. Payments are hours apart so rapid_payments stays out.
 */
class UnusualAmountTest {

    private static final String PATTERN = "unusual_amount";

    private final RulesHarness harness = RulesHarness.defaults();

    private static Event payment(String id, String time, String amount) {
        return Events.payment(FAMILY).id(id).at(time).amount(amount).build();
    }

    private void threeEarlierPayments() {
        harness.arrive(payment("p1", "01:00:00Z", "100"), payment("p2", "02:00:00Z", "200"), payment("p3", "03:00:00Z", "300"));
    }

    @Test
    void shouldNotDetectWhenAmountIsExactlyThreeTimesMean() {
        threeEarlierPayments();   // mean 200

        assertThat(ofPattern(harness.arrive(payment("p4", "04:00:00Z", "600")), PATTERN)).isEmpty();
    }

    @Test
    void shouldDetectWhenAmountIsAboveThreeTimesMeanOfExactlyThreeEarlier() {
        threeEarlierPayments();

        List<DetectionChange> changes = ofPattern(harness.arrive(payment("p4", "04:00:00Z", "600.01")), PATTERN);

        assertThat(changes).singleElement().isInstanceOf(DetectionChange.Emitted.class).satisfies(c -> {
            Detection d = c.detection();
            assertThat(d.anchor()).isEqualTo("p4");
            assertThat(matchedIds(d)).containsExactly("p4");
            assertThat(d.severity()).isEqualTo(Severity.WATCH);
            assertThat(d.details()).containsEntry("amount", new BigDecimal("600.01")).containsEntry("earlier", 3L);
            assertThat((BigDecimal) d.details().get("mean")).isEqualByComparingTo("200");
        });
    }

    @Test
    void shouldNotDetectWhenFewerThanThreeEarlierPayments() {
        harness.arrive(payment("p1", "01:00:00Z", "100"), payment("p2", "02:00:00Z", "100"));

        assertThat(ofPattern(harness.arrive(payment("p3", "03:00:00Z", "100000")), PATTERN)).isEmpty();
    }

    @Test
    void shouldNotCountPaymentsOfSameInstantAsEarlier() {
        harness.arrive(payment("p1", "01:00:00Z", "100"), payment("p2", "02:00:00Z", "100"), payment("p3", "03:00:00Z", "100"),
                payment("p4", "04:00:00Z", "1000"));

        // p5 shares p4's instant: the earlier ones are p1..p3 (mean 100); with p4 the mean would be 325
        assertThat(ofPattern(harness.arrive(payment("p5", "04:00:00Z", "301")), PATTERN))
                .singleElement().extracting(c -> c.detection().anchor()).isEqualTo("p5");
    }

    @Test
    void shouldLeaveDetectionUntouchedWhenLaterArrivalChangesTheMean() {
        threeEarlierPayments();
        harness.arrive(payment("p5", "05:00:00Z", "1000"));
        assertThat(harness.active(PATTERN)).hasSize(1);

        // a late, strictly earlier payment would raise the mean above 1000 / 3; the judgement stands
        List<DetectionChange> changes = ofPattern(harness.arrive(payment("p4", "04:00:00Z", "5000")), PATTERN);

        assertThat(changes).singleElement().extracting(c -> c.detection().anchor()).isEqualTo("p4");
        assertThat(harness.active(PATTERN)).extracting(Detection::anchor).containsExactlyInAnyOrder("p4", "p5");
    }

    @Test
    void shouldCompareLateArrivalOnlyWithEarlierPaymentsThatHadArrived() {
        harness.arrive(payment("p1", "01:00:00Z", "100"), payment("p2", "02:00:00Z", "100"), payment("p3", "03:00:00Z", "100"),
                payment("p9", "09:00:00Z", "5000"));

        // by event time the earlier ones are p1..p3 (mean 100); p9 arrived first but is later in event time
        List<DetectionChange> changes = ofPattern(harness.arrive(payment("p4", "04:00:00Z", "350")), PATTERN);

        assertThat(changes).singleElement().satisfies(c -> assertThat(c.detection().details()).containsEntry("earlier", 3L));
    }

    @Test
    void shouldCompareAPaymentBehindTheFrozenHorizonWithEveryPaymentFoldedThere() {
        threeEarlierPayments();   // mean 200
        harness.watermark("2026-12-31T00:00:00Z");
        // p1..p3 lie behind the frozen horizon (watermark − the rule set's lookback): p4's arrival folds them into a base
        assertThat(ofPattern(harness.arrive(payment("p4", "2026-12-31T01:00:00Z", "100")), PATTERN)).isEmpty();

        // A payment older than the horizon compares with the base as a whole, though p1..p3 are later than it; p4,
        // still a bucket of its own, is not earlier and is taken out.
        List<DetectionChange> changes = ofPattern(harness.arrive(payment("p0", "00:30:00Z", "600.01")), PATTERN);

        assertThat(changes).singleElement().satisfies(c -> assertThat(c.detection().details()).containsEntry("earlier", 3L));
        assertThat(harness.rules.snapshot().histories()).singleElement().satisfies(h -> {
            assertThat(h.baseCount()).isEqualTo(3);
            assertThat(h.baseSum()).isEqualByComparingTo("600");
            assertThat(h.buckets()).extracting(FamilyRulesState.Bucket::at).containsExactly(
                    java.time.Instant.parse(Events.DEFAULT_DAY + "T00:30:00Z"), java.time.Instant.parse("2026-12-31T01:00:00Z"));
        });
    }
}
