package dev.pulse.rules;

import static dev.pulse.rules.RulesHarness.FAMILY;
import static dev.pulse.rules.RulesHarness.matchedIds;
import static dev.pulse.rules.RulesHarness.ofPattern;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * SPEC §3.5 join rule login_payment_country_mismatch: a UserLogin and a PaymentReceived of one family within 5
 * minutes of each other whose event_data.country are both present and differ; one detection per pair, its id
 * from both event ids.
 */
class LoginPaymentCountryMismatchTest {

    private static final String PATTERN = "login_payment_country_mismatch";

    private final RulesHarness harness = RulesHarness.defaults();

    private static Event login(String id, String time, String country) {
        Events.Builder b = Events.login(FAMILY).id(id).at(time);
        return (country == null ? b : b.data("country", country)).build();
    }

    private static Event payment(String id, String time, String country) {
        Events.Builder b = Events.payment(FAMILY).id(id).at(time).amount("10.00");
        return (country == null ? b : b.data("country", country)).build();
    }

    @Test
    void shouldPairALoginAndAPaymentExactlyFiveMinutesApartFromDifferentCountries() {
        harness.arrive(login("l1", "09:00:00Z", "DE"), payment("p1", "09:05:00Z", "FR"));

        assertThat(harness.active(PATTERN)).singleElement().satisfies(d -> {
            assertThat(d.anchor()).isEqualTo("pair:2:l1+p1");
            assertThat(d.detectionId()).isEqualTo(DetectionId.of(PATTERN, FAMILY, "pair:2:l1+p1"));
            assertThat(matchedIds(d)).containsExactly("l1", "p1");
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.detectedAt()).as("the later of the two").isEqualTo(Instant.parse("2026-11-23T09:05:00Z"));
            assertThat(d.details()).containsEntry("field", "country").containsEntry("left_value", "DE").containsEntry("right_value", "FR");
        });
    }

    @Test
    void shouldPairThemAlsoWhenThePaymentComesFirstInEventTime() {
        harness.arrive(payment("p1", "09:00:00Z", "FR"), login("l1", "09:05:00Z", "DE"));

        assertThat(harness.active(PATTERN)).singleElement().satisfies(d -> {
            assertThat(d.anchor()).as("left (the login) first in the anchor, whatever the times").isEqualTo("pair:2:l1+p1");
            assertThat(matchedIds(d)).as("matched in event-time order").containsExactly("p1", "l1");
        });
    }

    @Test
    void shouldNotPairThemFiveMinutesAndOneMillisecondApartEitherWay() {
        harness.arrive(login("l1", "09:00:00Z", "DE"), payment("p1", "09:05:00.001Z", "FR"),
                payment("p0", "08:54:59.999Z", "FR"));

        assertThat(harness.active(PATTERN)).isEmpty();
    }

    @Test
    void shouldNotPairEqualCountriesComparedCaseInsensitivelyNorAMissingCountry() {
        harness.arrive(login("l1", "09:00:00Z", "DE"), payment("p1", "09:01:00Z", "de"),
                payment("p2", "09:02:00Z", null), login("l2", "09:03:00Z", null));

        assertThat(harness.active(PATTERN)).isEmpty();
    }

    @Test
    void shouldDetectEachPairOnceWhenItsSecondEventArrives() {
        List<DetectionChange> first = harness.arrive(login("l1", "09:00:00Z", "DE"));
        List<DetectionChange> second = harness.arrive(payment("p1", "09:01:00Z", "FR"));
        List<DetectionChange> third = harness.arrive(payment("p2", "09:02:00Z", "US"), login("l2", "09:03:00Z", "FR"));

        assertThat(ofPattern(first, PATTERN)).isEmpty();
        assertThat(ofPattern(second, PATTERN)).singleElement().isInstanceOf(DetectionChange.Emitted.class);
        // p2 pairs with l1 (DE/US); l2 pairs with p2 (FR/US) but not with p1 (FR/FR).
        assertThat(ofPattern(third, PATTERN)).extracting(c -> c.detection().anchor())
                .containsExactly("pair:2:l1+p2", "pair:2:l2+p2");
        assertThat(harness.active(PATTERN)).hasSize(3);
    }

    @Test
    void shouldGiveTheSameDetectionIdsInEveryArrivalOrder() {
        List<Event> events = List.of(login("l1", "09:00:00Z", "DE"), payment("p1", "09:01:00Z", "FR"),
                payment("p2", "09:04:00Z", "DE"), login("l2", "09:06:00Z", "US"), payment("p3", "09:20:00Z", "FR"),
                login("l3", "09:24:59.999Z", "GB"), login("l4", "09:25:00.001Z", "IT"));
        Set<String> expected = Set.of(DetectionId.of(PATTERN, FAMILY, "pair:2:l1+p1"), DetectionId.of(PATTERN, FAMILY, "pair:2:l2+p1"),
                DetectionId.of(PATTERN, FAMILY, "pair:2:l2+p2"), DetectionId.of(PATTERN, FAMILY, "pair:2:l3+p3"));
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 50; round++) {
            List<Event> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, random);
            RulesHarness h = RulesHarness.of(DefaultRules.spec().rules().stream().filter(r -> r.name().equals(PATTERN)).toArray(Rule[]::new));
            h.arrive(shuffled.toArray(Event[]::new));
            assertThat(h.active(PATTERN).stream().map(Detection::detectionId).collect(Collectors.toSet()))
                    .as("arrival order %s (seed %d)", shuffled.stream().map(Event::eventId).toList(), seed)
                    .isEqualTo(expected);
        }
    }

    @Test
    void shouldPairOnEqualValuesWhenTheRuleSaysEqual() {
        RulesHarness h = RulesHarness.of(new JoinRule("same_device", Severity.INFO, null, "UserLogin", "UserLogout",
                Duration.ofMinutes(1), "device", JoinRule.Relation.EQUAL));
        h.arrive(Events.login(FAMILY).id("in").at("09:00:00Z").data("device", "d-1").build(),
                Events.of("UserLogout", FAMILY).id("out").at("09:00:30Z").data("device", "D-1").build(),
                Events.of("UserLogout", FAMILY).id("other").at("09:00:40Z").data("device", "d-2").build());

        assertThat(h.active("same_device")).singleElement().satisfies(d -> assertThat(d.anchor()).isEqualTo("pair:2:in+out"));
    }
}
