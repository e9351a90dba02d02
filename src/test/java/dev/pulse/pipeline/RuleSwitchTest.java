package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.pulse.engine.EngineOutput;
import dev.pulse.engine.EngineSettings;
import dev.pulse.engine.PartitionEngine;
import dev.pulse.event.Events;
import dev.pulse.rules.CompiledRules;
import dev.pulse.rules.DefaultRules;
import dev.pulse.rules.DetectionChange;
import dev.pulse.rules.Rule;
import dev.pulse.rules.RuleSet;
import dev.pulse.rules.Severity;
import dev.pulse.rules.ThresholdRule;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC §4.1: a lane carried over to a new rule version between two steps. */
class RuleSwitchTest {

    private static final InstantSource CLOCK = InstantSource.fixed(Instant.EPOCH);

    /** The spec's rules with rapid_payments at 2 payments in 10 minutes instead of 3. */
    private static CompiledRules lowerRapidThreshold() {
        List<Rule> rules = DefaultRules.spec().rules().stream()
                .map(r -> r.name().equals("rapid_payments")
                        ? ThresholdRule.of("rapid_payments", Severity.WARNING, "PaymentReceived", 2, Duration.ofMinutes(10))
                        : r)
                .toList();
        return CompiledRules.compile(new RuleSet("2", rules));
    }

    @Test
    void shouldJudgeOnlyLaterEventsByTheNewRulesAndEmitNothingTwiceWhenSwitchingBetweenSteps() {
        EngineSettings settings = EngineSettings.defaults();
        PartitionEngine before = PartitionEngine.fresh(settings, CLOCK);
        EngineOutput first = before.apply(List.of(
                Events.payment("family-1").id("d1").at("09:00:00Z").amount("50.00").build(),
                Events.payment("family-1").id("d2").at("09:01:00Z").amount("50.00").build(),
                Events.payment("family-1").id("p1").at("10:00:00Z").amount("10.00").build()));
        assertThat(first.detections()).extracting(c -> c.detection().pattern(), c -> c.detection().anchor())
                .containsExactly(tuple("duplicate_payment", "d2"));

        PartitionEngine after = RuleSwitch.rebuild(before, settings.withRules(lowerRapidThreshold()), CLOCK);
        EngineOutput next = after.apply(List.of(Events.payment("family-1").id("p2").at("10:05:00Z").amount("20.00").build()));

        // d1/d2 would be a rapid pair under the new rules too, but they were judged before the switch: only p2 fires
        assertThat(next.detections()).extracting(c -> c.getClass(), c -> c.detection().pattern(), c -> c.detection().anchor())
                .containsExactly(tuple(DetectionChange.Emitted.class, "rapid_payments", "p2"));
        assertThat(next.metrics()).singleElement().satisfies(m -> assertThat(m.eventsProcessed()).isEqualTo(4));
    }

    @Test
    void shouldKeepTheStreamTimeAndWatermarkWhenSwitching() {
        PartitionEngine before = PartitionEngine.fresh(EngineSettings.defaults(), CLOCK);
        before.apply(List.of(Events.login("family-1").id("l1").at("10:00:00Z").build(),
                Events.login("family-2").id("l2").at("10:01:00Z").build()));

        PartitionEngine after = RuleSwitch.rebuild(before, EngineSettings.defaults().withRules(lowerRapidThreshold()), CLOCK);

        assertThat(after.streamTime()).isEqualTo(before.streamTime());
        assertThat(after.watermark()).isEqualTo(before.watermark());
        assertThat(after.familyIds()).containsExactlyInAnyOrder("family-1", "family-2");
    }
}
