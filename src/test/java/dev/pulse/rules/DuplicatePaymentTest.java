package dev.pulse.rules;

import static dev.pulse.rules.RulesHarness.FAMILY;
import static dev.pulse.rules.RulesHarness.matchedIds;
import static dev.pulse.rules.RulesHarness.ofPattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC §3.3 duplicate_payment: an equal payment (amount numerically, currency case-insensitively) in [t(e) − 10m, t(e)]. */
class DuplicatePaymentTest {

    private static final String PATTERN = "duplicate_payment";

    private final RulesHarness harness = RulesHarness.defaults();

    private static Event payment(String id, String time, String amount, String currency) {
        Events.Builder b = Events.payment(FAMILY).id(id).at(time).amount(amount);
        return currency == null ? b.withoutData("currency").build() : b.data("currency", currency).build();
    }

    @Test
    void shouldDetectDuplicateWhenEqualPaymentsAreExactlyTenMinutesApart() {
        harness.arrive(payment("p1", "09:00:00Z", "100.00", "EUR"), payment("p2", "09:10:00Z", "100.00", "EUR"));

        assertThat(harness.active(PATTERN)).singleElement().satisfies(d -> {
            assertThat(d.anchor()).isEqualTo("p2");
            assertThat(d.detectionId()).isEqualTo(DetectionId.of(PATTERN, FAMILY, "p2"));
            assertThat(matchedIds(d)).containsExactly("p1", "p2");
            assertThat(d.details()).containsEntry("count", 2);
            assertThat(d.confidence()).isEqualByComparingTo("0.95");
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.detectedAt()).isEqualTo(Instant.parse("2026-11-23T09:10:00Z"));
        });
    }

    @Test
    void shouldNotDetectDuplicateWhenEqualPaymentsAreTenMinutesAndOneMillisecondApart() {
        harness.arrive(payment("p1", "09:00:00Z", "100.00", "EUR"), payment("p2", "09:10:00.001Z", "100.00", "EUR"));

        assertThat(harness.active(PATTERN)).isEmpty();
    }

    static Stream<Arguments> valuePairs() {
        return Stream.of(
                arguments("100", "EUR", "100.00", "eur", true),
                arguments("100.5", "EUR", "100.50", "EUR", true),
                arguments("100", null, "100", null, true),
                arguments("100", "EUR", "100", "USD", false),
                arguments("100", "EUR", "100", null, false),
                arguments("100", "EUR", "100.01", "EUR", false));
    }

    @ParameterizedTest(name = "{0} {1} vs {2} {3}: {4}")
    @MethodSource("valuePairs")
    void shouldCompareAmountNumericallyAndCurrencyCaseInsensitivelyWhenMatchingDuplicates(
            String amount1, String currency1, String amount2, String currency2, boolean duplicate) {
        harness.arrive(payment("p1", "09:00:00Z", amount1, currency1), payment("p2", "09:05:00Z", amount2, currency2));

        assertThat(harness.active(PATTERN)).hasSize(duplicate ? 1 : 0);
    }

    @Test
    void shouldEmitOnArrivalOfLateDuplicateWhenItCompletesPair() {
        assertThat(harness.arrive(payment("p2", "09:10:00Z", "100.00", "EUR"))).isEmpty();

        List<DetectionChange> changes = ofPattern(harness.arrive(payment("p1", "09:05:00Z", "100.00", "EUR")), PATTERN);

        // p1's own window [08:55, 09:05] does not reach p2; p2's window [09:00, 09:10] now holds p1
        assertThat(changes).singleElement().isInstanceOf(DetectionChange.Emitted.class)
                .satisfies(c -> {
                    assertThat(c.detection().anchor()).isEqualTo("p2");
                    assertThat(matchedIds(c.detection())).containsExactly("p1", "p2");
                });
    }

    @Test
    void shouldUpdateInPlaceWhenLateThirdEqualPaymentJoinsWindow() {
        harness.arrive(payment("p1", "09:00:00Z", "100.00", "EUR"), payment("p3", "09:08:00Z", "100.00", "EUR"));
        String p3Id = DetectionId.of(PATTERN, FAMILY, "p3");

        List<DetectionChange> changes = ofPattern(harness.arrive(payment("p2", "09:04:00Z", "100", "eur")), PATTERN);

        assertThat(changes).hasSize(2);
        assertThat(changes.get(0)).isInstanceOf(DetectionChange.Emitted.class);
        assertThat(changes.get(0).detection().anchor()).isEqualTo("p2");
        assertThat(changes.get(1)).isInstanceOf(DetectionChange.Updated.class);
        assertThat(changes.get(1).detection().detectionId()).isEqualTo(p3Id);
        assertThat(matchedIds(changes.get(1).detection())).containsExactly("p1", "p2", "p3");
        assertThat(changes.get(1).detection().details()).containsEntry("count", 3);
    }

    @Test
    void shouldDetectBothWhenEqualPaymentsShareTimestamp() {
        harness.arrive(payment("p-b", "09:00:00Z", "100", "EUR"), payment("p-a", "09:00:00Z", "100", "EUR"));

        assertThat(harness.active(PATTERN)).extracting(Detection::anchor).containsExactlyInAnyOrder("p-a", "p-b");
        assertThat(harness.active(PATTERN)).allSatisfy(d -> assertThat(matchedIds(d)).containsExactly("p-a", "p-b"));
    }

    @Test
    void shouldReportAnchorValuesInDetailsWhenDuplicateDetected() {
        harness.arrive(payment("p1", "09:00:00Z", "100", "eur"), payment("p2", "09:01:00Z", "100.00", "EUR"));

        assertThat(harness.active(PATTERN).get(0).details())
                .containsEntry("amount", new BigDecimal("100.00"))
                .containsEntry("currency", "EUR");
    }
}
