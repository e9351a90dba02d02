package dev.pulse.rules;

import static dev.pulse.rules.RulesHarness.FAMILY;
import static dev.pulse.rules.RulesHarness.matchedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SPEC §3.3, §7 repeated_email_bounces: the family's last 3 Email* events up to and incl. e are all EmailBounced and
 * span ≤ 7d; matched: the 3 bounces; an EmailOpened landing between them retracts.
 */
class RepeatedEmailBouncesTest {

    private static final String PATTERN = "repeated_email_bounces";

    private final RulesHarness harness = RulesHarness.defaults();

    private static Event email(String type, String id, String time) {
        return Events.of(type, FAMILY).id(id).at(time).data("email", "a@example.org").build();
    }

    private static Event bounce(String id, String time) {
        return email("EmailBounced", id, time);
    }

    @Test
    void shouldDetectWhenThreeBouncesSpanExactlySevenDays() {
        harness.arrive(bounce("b1", "2026-11-01T00:00:00Z"), bounce("b2", "2026-11-03T00:00:00Z"), bounce("b3", "2026-11-08T00:00:00Z"));

        assertThat(harness.active(PATTERN)).singleElement().satisfies(d -> {
            assertThat(d.anchor()).isEqualTo("b3");
            assertThat(matchedIds(d)).containsExactly("b1", "b2", "b3");
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.details()).containsEntry("count", 3);
        });
    }

    @Test
    void shouldNotDetectWhenThreeBouncesSpanSevenDaysAndOneMillisecond() {
        harness.arrive(bounce("b1", "2026-11-01T00:00:00Z"), bounce("b2", "2026-11-03T00:00:00Z"),
                bounce("b3", "2026-11-08T00:00:00.001Z"));

        assertThat(harness.active(PATTERN)).isEmpty();
    }

    @Test
    void shouldRetractWhenEmailOpenedLandsBetweenBounces() {
        harness.arrive(bounce("b1", "09:00:00Z"), bounce("b2", "10:00:00Z"), bounce("b3", "11:00:00Z"));
        Detection emitted = harness.active(PATTERN).get(0);

        List<DetectionChange> changes = harness.arrive(email("EmailOpened", "open", "10:30:00Z"));

        assertThat(changes).singleElement().isEqualTo(new DetectionChange.Retracted(emitted));
        assertThat(harness.active(PATTERN)).isEmpty();
    }

    @Test
    void shouldKeepDetectionWhenEmailEventFollowsTheBounces() {
        harness.arrive(bounce("b1", "09:00:00Z"), bounce("b2", "10:00:00Z"), bounce("b3", "11:00:00Z"));

        assertThat(harness.arrive(email("EmailDelivered", "delivered", "12:00:00Z"))).isEmpty();
        assertThat(harness.active(PATTERN)).hasSize(1);
    }

    @Test
    void shouldIgnoreNonEmailEventsBetweenBounces() {
        harness.arrive(bounce("b1", "09:00:00Z"), Events.login(FAMILY).id("login").at("09:30:00Z").build(),
                bounce("b2", "10:00:00Z"), bounce("b3", "11:00:00Z"));

        assertThat(harness.active(PATTERN)).hasSize(1);
    }

    @Test
    void shouldDetectEachAnchorWhenRunGrows() {
        harness.arrive(bounce("b1", "09:00:00Z"), bounce("b2", "10:00:00Z"), bounce("b3", "11:00:00Z"), bounce("b4", "12:00:00Z"));

        assertThat(harness.active(PATTERN)).extracting(Detection::anchor).containsExactlyInAnyOrder("b3", "b4");
        assertThat(harness.active(PATTERN)).filteredOn(d -> d.anchor().equals("b4"))
                .singleElement().satisfies(d -> assertThat(matchedIds(d)).containsExactly("b2", "b3", "b4"));
    }

    @Test
    void shouldUpdateMatchedBouncesWhenLateBounceLandsInsideRun() {
        harness.arrive(bounce("b1", "09:00:00Z"), bounce("b2", "10:00:00Z"), bounce("b4", "12:00:00Z"));

        List<DetectionChange> changes = harness.arrive(bounce("b3", "11:00:00Z"));

        assertThat(changes).hasSize(2);
        assertThat(changes.get(0)).isInstanceOf(DetectionChange.Emitted.class);
        assertThat(matchedIds(changes.get(0).detection())).containsExactly("b1", "b2", "b3");
        assertThat(changes.get(1)).isInstanceOf(DetectionChange.Updated.class);
        assertThat(matchedIds(changes.get(1).detection())).containsExactly("b2", "b3", "b4");
    }

    @Test
    void shouldRetractOnlyAnchorsWhoseRunTheOpenedEventEnters() {
        harness.arrive(bounce("b1", "09:00:00Z"), bounce("b2", "10:00:00Z"), bounce("b3", "11:00:00Z"),
                bounce("b4", "12:00:00Z"), bounce("b5", "13:00:00Z"), bounce("b6", "14:00:00Z"));

        // lands between b3 and b4: breaks the runs of b4 and b5; b6's run is b4, b5, b6
        List<DetectionChange> changes = harness.arrive(email("EmailOpened", "open", "11:30:00Z"));

        assertThat(changes).allMatch(c -> c instanceof DetectionChange.Retracted)
                .extracting(c -> c.detection().anchor()).containsExactly("b4", "b5");
        assertThat(harness.active(PATTERN)).extracting(Detection::anchor).containsExactlyInAnyOrder("b3", "b6");
    }
}
