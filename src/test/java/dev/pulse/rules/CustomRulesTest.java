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

/** Rules written only as data (SPEC §3.3 "rules are data, not code"): each kind with parameters the defaults do not use. */
class CustomRulesTest {

    private static Event login(String id, String time) {
        return Events.login(FAMILY).id(id).at(time).build();
    }

    private static Event payment(String id, String time, String amount, String currency) {
        return Events.payment(FAMILY).id(id).at(time).amount(amount).data("currency", currency).build();
    }

    @Test
    void shouldFireFiveLoginsInOneMinuteWhenDefinedOnlyAsData() {
        RulesHarness harness = RulesHarness.of(ThresholdRule.of("login_burst", Severity.INFO, "UserLogin", 5, Duration.ofMinutes(1)));

        assertThat(harness.arrive(login("l1", "09:00:00Z"), login("l2", "09:00:10Z"), login("l3", "09:00:20Z"),
                login("l4", "09:00:30Z"))).isEmpty();
        List<DetectionChange> changes = harness.arrive(login("l5", "09:01:00Z"));

        assertThat(changes).singleElement().isInstanceOf(DetectionChange.Emitted.class).satisfies(c -> {
            assertThat(c.detection().pattern()).isEqualTo("login_burst");
            assertThat(c.detection().severity()).isEqualTo(Severity.INFO);
            assertThat(matchedIds(c.detection())).containsExactly("l1", "l2", "l3", "l4", "l5");
        });
    }

    @Test
    void shouldNotFireFiveLoginsWhenTheySpanMoreThanOneMinute() {
        RulesHarness harness = RulesHarness.of(ThresholdRule.of("login_burst", Severity.INFO, "UserLogin", 5, Duration.ofMinutes(1)));

        assertThat(harness.arrive(login("l1", "09:00:00Z"), login("l2", "09:00:10Z"), login("l3", "09:00:20Z"),
                login("l4", "09:00:30Z"), login("l5", "09:01:00.001Z"))).isEmpty();
    }

    @Test
    void shouldCountOnlyEventsSatisfyingWhereWhenThresholdHasConditions() {
        RulesHarness harness = RulesHarness.of(new ThresholdRule("large_eur_payments", Severity.WARNING, null, "PaymentReceived",
                List.of(DataCondition.of("amount", DataCondition.Op.GTE, "1000"),
                        DataCondition.of("currency", DataCondition.Op.EQUALS, "eur")),
                2, Duration.ofHours(1)));

        harness.arrive(payment("p1", "09:00:00Z", "1000", "EUR"), payment("p2", "09:10:00Z", "5000", "USD"),
                payment("p3", "09:20:00Z", "999.99", "EUR"));
        assertThat(harness.active()).isEmpty();

        harness.arrive(payment("p4", "09:30:00Z", "1000.00", "Eur"));

        assertThat(harness.active().values()).singleElement().satisfies(d -> assertThat(matchedIds(d)).containsExactly("p1", "p4"));
    }

    @Test
    void shouldEmitSequenceOnArrivalAndUpdateWhenEarlierFollowerArrivesLate() {
        RulesHarness harness = RulesHarness.of(new SequenceRule("login_then_payment", Severity.INFO, null,
                "UserLogin", "PaymentReceived", Duration.ofMinutes(5), null, null, null, null));

        List<DetectionChange> emitted = harness.arrive(login("l", "09:00:00Z"), payment("p2", "09:04:00Z", "10", "EUR"));
        assertThat(emitted).singleElement().satisfies(c -> assertThat(c.detection().detectedAt())
                .isEqualTo(Instant.parse("2026-11-23T09:04:00Z")));

        List<DetectionChange> updated = harness.arrive(payment("p1", "09:02:00Z", "10", "EUR"));

        assertThat(updated).singleElement().isInstanceOf(DetectionChange.Updated.class).satisfies(c -> {
            assertThat(matchedIds(c.detection())).containsExactly("l", "p1");
            assertThat(c.detection().detectedAt()).isEqualTo(Instant.parse("2026-11-23T09:02:00Z"));
        });
    }

    @Test
    void shouldRetractStrictSequenceWhenEventLandsBetween() {
        RulesHarness harness = RulesHarness.of(new SequenceRule("login_then_payment", Severity.INFO, null,
                "UserLogin", "PaymentReceived", Duration.ofMinutes(5), null, null, Contiguity.STRICT, null));
        harness.arrive(login("l", "09:00:00Z"), payment("p", "09:04:00Z", "10", "EUR"));
        assertThat(harness.active()).hasSize(1);

        List<DetectionChange> changes = harness.arrive(Events.of("EmailOpened", FAMILY).id("open").at("09:02:00Z").build());

        assertThat(changes).singleElement().isInstanceOf(DetectionChange.Retracted.class);
    }

    @Test
    void shouldBreakStrictSequenceOnlyByEventsOfItsScope() {
        RulesHarness harness = RulesHarness.of(new SequenceRule("login_then_logout", Severity.INFO, null,
                "UserLogin", "UserLogout", Duration.ofMinutes(5), null, null, Contiguity.STRICT, "User*"));
        harness.arrive(login("l1", "09:00:00Z"), Events.score(FAMILY).id("s").at("09:01:00Z").build(),
                Events.of("UserLogout", FAMILY).id("out").at("09:04:00Z").build());
        assertThat(harness.active().values()).singleElement().extracting(Detection::anchor).isEqualTo("l1");   // a score is outside User*

        List<DetectionChange> changes = harness.arrive(login("l2", "09:02:00Z"));

        assertThat(changes).extracting(c -> c.getClass().getSimpleName() + " " + c.detection().anchor())
                .containsExactly("Retracted l1", "Emitted l2");
    }

    @Test
    void shouldDetectAbsenceOfLoginAfterReminderWhenWrittenAsData() {
        RulesHarness harness = RulesHarness.of(new SequenceRule("reminder_ignored", Severity.WATCH, null,
                "ReminderSent", "ReminderSent", Duration.ofDays(2), "UserLogin", Duration.ofDays(1), null, null));
        Instant r1 = Instant.parse("2026-11-01T00:00:00Z");

        harness.arrive(Events.of("ReminderSent", FAMILY).id("r1").at(r1).build(),
                Events.of("ReminderSent", FAMILY).id("r2").at(r1.plus(Duration.ofDays(1))).build());

        assertThat(harness.watermark(r1.plus(Duration.ofDays(2)).plusMillis(1))).singleElement()
                .satisfies(c -> assertThat(matchedIds(c.detection())).containsExactly("r1", "r2"));
    }

    @Test
    void shouldKeepRelaxedRunWhenOtherEventOfScopeLandsBetween() {
        RulesHarness harness = RulesHarness.of(new RunRule("bounces_relaxed", Severity.WARNING, null, "Email*", "EmailBounced", 3,
                Duration.ofDays(7), Contiguity.RELAXED));

        harness.arrive(Events.of("EmailBounced", FAMILY).id("b1").at("09:00:00Z").build(),
                Events.of("EmailBounced", FAMILY).id("b2").at("10:00:00Z").build(),
                Events.of("EmailBounced", FAMILY).id("b3").at("11:00:00Z").build());

        assertThat(harness.arrive(Events.of("EmailOpened", FAMILY).id("open").at("10:30:00Z").build())).isEmpty();
        assertThat(harness.active()).hasSize(1);
    }

    @Test
    void shouldDetectDropOfAnyNumericFieldWhenWrittenAsData() {
        RulesHarness harness = RulesHarness.of(new DropRule("balance_drop", Severity.WARNING, null, "BalanceChecked", List.of(),
                "balance", Duration.ofHours(1), new java.math.BigDecimal("100.5")));

        harness.arrive(Events.of("BalanceChecked", FAMILY).id("b1").at("09:00:00Z").data("balance", 500).build(),
                Events.of("BalanceChecked", FAMILY).id("b2").at("09:30:00Z").data("balance", new java.math.BigDecimal("399.4")).build());

        assertThat(harness.active()).hasSize(1);
    }
}
