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

/** SPEC §3.3 engagement_rapid_drop: (max score in [t(e) − 5m, t(e)]) − score(e) > 30; matched: the max (latest on ties) and e. */
class EngagementRapidDropTest {

    private static final String PATTERN = "engagement_rapid_drop";

    private final RulesHarness harness = RulesHarness.defaults();

    private static Event score(String id, String time, int score) {
        return Events.score(FAMILY).id(id).at(time).score(score).build();
    }

    @Test
    void shouldNotDetectWhenDropIsExactlyThirty() {
        harness.arrive(score("s1", "09:00:00Z", 80), score("s2", "09:03:00Z", 50));

        assertThat(harness.active(PATTERN)).isEmpty();
    }

    @Test
    void shouldDetectWhenDropIsThirtyOne() {
        harness.arrive(score("s1", "09:00:00Z", 80));

        List<DetectionChange> changes = ofPattern(harness.arrive(score("s2", "09:03:00Z", 49)), PATTERN);

        assertThat(changes).singleElement().isInstanceOf(DetectionChange.Emitted.class).satisfies(c -> {
            Detection d = c.detection();
            assertThat(d.anchor()).isEqualTo("s2");
            assertThat(matchedIds(d)).containsExactly("s1", "s2");
            assertThat(d.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(d.details()).containsEntry("max", BigDecimal.valueOf(80)).containsEntry("value", BigDecimal.valueOf(49))
                    .containsEntry("drop", BigDecimal.valueOf(31));
        });
    }

    @Test
    void shouldDetectWhenMaximumIsExactlyFiveMinutesBefore() {
        harness.arrive(score("s1", "09:00:00Z", 90), score("s2", "09:05:00Z", 10));

        assertThat(harness.active(PATTERN)).hasSize(1);
    }

    @Test
    void shouldNotDetectWhenMaximumIsFiveMinutesAndOneMillisecondBefore() {
        harness.arrive(score("s1", "09:00:00Z", 90), score("s2", "09:05:00.001Z", 10));

        assertThat(harness.active(PATTERN)).isEmpty();
    }

    @Test
    void shouldMatchLatestMaximumWhenMaximaTie() {
        harness.arrive(score("s1", "09:00:00Z", 80), score("s2", "09:02:00Z", 80), score("s3", "09:04:00Z", 40));

        assertThat(harness.active(PATTERN)).singleElement().satisfies(d -> assertThat(matchedIds(d)).containsExactly("s2", "s3"));
    }

    @Test
    void shouldUpdateMaximumWhenLateHigherScoreLandsInWindow() {
        harness.arrive(score("s1", "09:00:00Z", 80), score("s3", "09:04:00Z", 40));

        List<DetectionChange> changes = ofPattern(harness.arrive(score("s2", "09:02:00Z", 90)), PATTERN);

        assertThat(changes).singleElement().isInstanceOf(DetectionChange.Updated.class).satisfies(c -> {
            assertThat(c.detection().anchor()).isEqualTo("s3");
            assertThat(matchedIds(c.detection())).containsExactly("s2", "s3");
            assertThat(c.detection().details()).containsEntry("drop", BigDecimal.valueOf(50));
        });
    }

    @Test
    void shouldEmitWhenLateHighScoreMakesLaterScoreADrop() {
        harness.arrive(score("s3", "09:04:00Z", 40));

        List<DetectionChange> changes = ofPattern(harness.arrive(score("s1", "09:00:00Z", 75)), PATTERN);

        assertThat(changes).singleElement().isInstanceOf(DetectionChange.Emitted.class)
                .satisfies(c -> assertThat(matchedIds(c.detection())).containsExactly("s1", "s3"));
    }
}
