package dev.pulse.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.pulse.config.ShippedRiskModel;
import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.family.EngagementRules;
import dev.pulse.family.RiskModel;
import dev.pulse.rules.CompiledRules;
import dev.pulse.rules.Detection;
import dev.pulse.rules.DetectionChange;
import dev.pulse.rules.DetectionId;
import dev.pulse.rules.MatchedEvent;
import dev.pulse.rules.RiskRule;
import dev.pulse.rules.RuleSet;
import dev.pulse.rules.Severity;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code risk_high} rule (SPEC §3.7) through the partition engine, with the shipped model file
 * ({@code risk-model.yml}) and risks worked out by hand from it:
 * <pre>
 * logit = −2.0 − 1.2·(score − 60)/20 − 0.6·slope/3 − 0.7·change_7d/15 − 0.4·(logins_7d − 3)/3
 *         − 0.3·(payments_7d − 1) + 1.5·open_overdue + 0.6·bounces_30d/2
 * </pre>
 * A family whose only score is 20 (slope 0, change 0) with no logins and no payments starts at
 * −2.0 + 2.4 + 0.4 + 0.3 = 1.1, risk 1/(1 + e^−1.1) = 0.7503. Then:
 * <ul>
 *   <li>one bounce: + 0.3 = 1.4, risk 0.8022 (above 0.8);</li>
 *   <li>one login: − 0.4/3 = 0.9667, risk 0.7245; with a bounce 1.2667, risk 0.7802;</li>
 *   <li>one payment: − 0.3; with a bounce 1.1 again, risk 0.7503;</li>
 *   <li>two bounces, no login: 1.7, risk 0.8455; two bounces and a login: 1.5667, risk 0.8273.</li>
 * </ul>
 */
class RiskHighTest {

    private static final String F1 = "family-1";
    private static final String F2 = "family-2";
    private static final String PATTERN = "risk_high";
    private static final Instant DAY0 = Instant.parse("2026-11-01T09:00:00Z");
    private static final RiskModel MODEL = ShippedRiskModel.get();
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.EPOCH);

    private static EngineSettings settings(String above, RiskModel model) {
        RuleSet rules = new RuleSet("risk", List.of(new RiskRule(PATTERN, Severity.WARNING, null, new BigDecimal(above))));
        return EngineSettings.of(Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO, EngagementRules.DEFAULTS,
                CompiledRules.compile(rules), List.of()).withRisk(model);
    }

    private static Instant day(double n) {
        return DAY0.plus(Duration.ofMinutes(Math.round(n * 24 * 60)));
    }

    private static Event score(String id, Instant at, int value) {
        return Events.score(F1).id(id).at(at).score(value).build();
    }

    private static Event login(String id, Instant at) {
        return Events.login(F1).id(id).at(at).build();
    }

    private static Event payment(String id, Instant at) {
        return Events.payment(F1).id(id).at(at).build();
    }

    private static Event bounce(String id, Instant at) {
        return Events.of("EmailBounced", F1).id(id).at(at).build();
    }

    /** Another family's event: moves the partition's stream time and nothing of family-1. */
    private static Event elsewhere(String id, Instant at) {
        return Events.login(F2).id(id).at(at).build();
    }

    /** Feeds batches and keeps what a projection would hold. */
    private static final class Run {
        final PartitionEngine engine;
        final Map<String, Detection> active = new TreeMap<>();
        final List<DetectionChange> changes = new ArrayList<>();

        Run(EngineSettings settings) {
            this(PartitionEngine.fresh(settings, CLOCK));
        }

        Run(PartitionEngine engine) {
            this.engine = engine;
        }

        /** The risk_high changes of the step (the engine's engagement alerts are left out). */
        List<DetectionChange> apply(Event... batch) {
            List<DetectionChange> out = engine.apply(List.of(batch)).detections().stream()
                    .filter(c -> c.detection().pattern().equals(PATTERN)).toList();
            for (DetectionChange c : out) {
                changes.add(c);
                String id = c.detection().detectionId();
                if (c instanceof DetectionChange.Retracted) {
                    assertThat(active.remove(id)).as("retracted %s", id).isNotNull();
                } else {
                    assertThat(active.put(id, c.detection()) == null).as("%s %s", c, id).isEqualTo(c instanceof DetectionChange.Emitted);
                }
            }
            return out;
        }
    }

    private static List<Tuple> kinds(List<DetectionChange> changes) {
        return changes.stream().map(c -> tuple(c.getClass().getSimpleName(), c.detection().anchor())).toList();
    }

    private static BigDecimal riskOf(Detection d) {
        return (BigDecimal) d.details().get("risk_score");
    }

    @ParameterizedTest(name = "above {0}: {1} detections")
    @CsvSource({"0.8022, 0", "0.8021, 1", "0.8, 1"})
    void shouldFireOnlyWhenRiskIsStrictlyAboveThreshold(String above, int expected) {
        Run run = new Run(settings(above, MODEL));

        run.apply(score("s", day(0), 20), bounce("b", day(0.1)));   // risk 0.7503, then 0.8022

        assertThat(run.active).hasSize(expected);
    }

    @Test
    void shouldEmitDetectionWithRiskDetailsWhenBounceLiftsRiskAboveThreshold() {
        Run run = new Run(settings("0.8", MODEL));
        Event s = score("s", day(0), 20);
        Event b = bounce("b", day(0.1));

        assertThat(run.apply(s)).isEmpty();                          // 0.7503
        List<DetectionChange> out = run.apply(b);                    // 0.8022

        // contributions above 0: current_score 2.4, logins_7d 0.4, then payments_7d and bounces_30d 0.3 each (name order)
        Detection expected = new Detection(DetectionId.of(PATTERN, F1, "b"), PATTERN, F1, "b", Severity.WARNING, BigDecimal.ONE,
                List.of(MatchedEvent.of(b)), day(0.1), Map.of("risk_score", new BigDecimal("0.8022"),
                        "risk_factors", List.of("current_score", "logins_7d", "bounces_30d"),
                        "model_version", "risk-v1-2026-11", "threshold", new BigDecimal("0.8")));
        assertThat(out).containsExactly(new DetectionChange.Emitted(expected));
    }

    @Test
    void shouldFireAtExpiryWhenLoginLeavingTheSevenDayRangeLiftsRisk() {
        Run run = new Run(settings("0.8", MODEL));
        Event l = login("l", day(0).plus(Duration.ofHours(1)));
        run.apply(score("s", day(0), 20), l, bounce("b", day(0).plus(Duration.ofHours(2))));  // 0.7503, 0.7245, 0.7802

        assertThat(run.apply(elsewhere("x1", day(7)))).as("the login is still in range").isEmpty();
        List<DetectionChange> out = run.apply(elsewhere("x2", day(8)));   // the login left at day 7 + 1h: 0.8022

        Instant leftAt = day(7).plus(Duration.ofHours(1));
        assertThat(kinds(out)).containsExactly(tuple("Emitted", "expiry:" + leftAt));
        Detection d = out.get(0).detection();
        assertThat(d.detectionId()).isEqualTo(DetectionId.of(PATTERN, F1, "expiry:2026-11-08T10:00:00Z"));
        assertThat(d.detectedAt()).isEqualTo(leftAt);
        assertThat(d.matchedEvents()).containsExactly(MatchedEvent.of(l));
        assertThat(riskOf(d)).isEqualTo(new BigDecimal("0.8022"));
    }

    @Test
    void shouldEmitSecondDetectionWhenRiskFallsAndRisesAgain() {
        Run run = new Run(settings("0.8", MODEL));

        run.apply(score("s", day(0), 20), bounce("b", day(0.1)));    // up: 0.8022
        run.apply(payment("p", day(1)));                             // down: 0.7503
        run.apply(elsewhere("x", day(9)));                           // the payment left at day 8: up, 0.8022

        assertThat(kinds(run.changes)).containsExactly(tuple("Emitted", "b"), tuple("Emitted", "expiry:" + day(8)));
        assertThat(run.active.values()).extracting(Detection::detectedAt).containsExactlyInAnyOrder(day(0.1), day(8));
    }

    @Test
    void shouldRetractCrossingWhenLateLoginKeepsRiskBelowAndFireWhenItLeaves() {
        Run run = new Run(settings("0.8", MODEL));
        run.apply(score("s", day(0), 20), bounce("b", day(0).plus(Duration.ofHours(2))));   // up at b: 0.8022

        List<DetectionChange> late = run.apply(login("l", day(0).plus(Duration.ofHours(1))));  // b now at 0.7802
        List<DetectionChange> later = run.apply(elsewhere("x", day(8)));                       // l left: 0.8022

        assertThat(kinds(late)).containsExactly(tuple("Retracted", "b"));
        assertThat(kinds(later)).containsExactly(tuple("Emitted", "expiry:" + day(7).plus(Duration.ofHours(1))));
    }

    @Test
    void shouldMoveCrossingsWhenLateBounceLandsBeforeThem() {
        Run run = new Run(settings("0.8", MODEL));
        Instant t = day(0);
        run.apply(score("s", t, 20), login("l", t.plus(Duration.ofHours(1))), bounce("b2", t.plus(Duration.ofHours(2))));
        run.apply(elsewhere("x", day(8)));                            // l left at day 7 + 1h: up, 0.8022
        assertThat(kinds(run.changes)).containsExactly(tuple("Emitted", "expiry:" + day(7).plus(Duration.ofHours(1))));

        // s 0.7503, b1 0.8022 (up), l 0.7802 (down), b2 0.8273 (up), l leaving 0.8455 (no crossing: already above)
        List<DetectionChange> late = run.apply(bounce("b1", t.plus(Duration.ofMinutes(30))));

        assertThat(kinds(late)).containsExactlyInAnyOrder(tuple("Emitted", "b1"), tuple("Emitted", "b2"),
                tuple("Retracted", "expiry:" + day(7).plus(Duration.ofHours(1))));
        assertThat(run.active.values()).extracting(Detection::anchor, d -> riskOf(d))
                .containsExactlyInAnyOrder(tuple("b1", new BigDecimal("0.8022")), tuple("b2", new BigDecimal("0.8273")));
    }

    @Test
    void shouldCountEventsOfOneInstantOneByOneInIdOrder() {
        Run run = new Run(settings("0.8", MODEL));
        Instant t = day(0);
        run.apply(score("s", t.minusSeconds(60), 20));
        // at one instant: "a" a bounce (0.8022, up), "b" a login (0.7802, down), "c" a bounce (0.8273, up)
        run.apply(login("b", t), bounce("c", t), bounce("a", t));

        assertThat(run.active.values()).extracting(Detection::anchor).containsExactlyInAnyOrder("a", "c");
    }

    @ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5})
    void shouldJudgeEachEventOnTheRiskItsRowCarriesWhenEventsArriveInOrder(long seed) {
        // The crossing and the row read the same features: a crossing at the event just applied (in order, one per
        // batch, so the row is as of that event) carries exactly the row's risk score.
        java.util.Random rnd = new java.util.Random(seed);
        Run run = new Run(settings("0.8", MODEL));
        Instant t = DAY0;
        int crossings = 0;
        for (int i = 0; i < 400; i++) {
            t = t.plus(Duration.ofMinutes(rnd.nextInt(6 * 60)));
            String id = "e" + i;
            Event e = switch (rnd.nextInt(6)) {
                case 0 -> score(id, t, rnd.nextInt(101));
                case 1 -> login(id, t);
                case 2 -> payment(id, t);
                case 3 -> Events.of("PaymentOverdue", F1).id(id).at(t).build();
                case 4 -> bounce(id, t);
                default -> Events.of("EmailOpened", F1).id(id).at(t).build();
            };
            EngineOutput out = run.engine.apply(List.of(e));
            BigDecimal rowRisk = out.metrics().get(0).riskScore();
            for (DetectionChange c : out.detections()) {
                if (c.detection().pattern().equals(PATTERN) && c.detection().anchor().equals(id)) {
                    crossings++;
                    assertThat(riskOf(c.detection())).as("seed %d, %s", seed, id).isEqualTo(rowRisk);
                    assertThat(rowRisk).isGreaterThan(new BigDecimal("0.8"));
                }
            }
        }
        assertThat(crossings).as("seed %d: crossings at events", seed).isPositive();
    }

    @Test
    void shouldNeverFireWithoutRiskModel() {
        Run run = new Run(settings("0.8", RiskModel.NONE));

        run.apply(score("s", day(0), 0), bounce("b", day(0.1)), Events.of("PaymentOverdue", F1).id("o").at(day(0.2)).build());

        assertThat(run.changes).isEmpty();
    }

    @Test
    void shouldEmitNothingTwiceAndContinueLikeUninterruptedRunWhenRestored() {
        EngineSettings settings = settings("0.8", MODEL);
        Run uninterrupted = new Run(settings);
        Run interrupted = new Run(settings);
        Event[] first = {score("s", day(0), 20), bounce("b", day(0.1)), payment("p", day(1))};   // up at b, down at p
        uninterrupted.apply(first);
        interrupted.apply(first);

        PartitionEngine fresh = new PartitionEngine(settings, interrupted.engine.streamTime(), interrupted.engine.watermark(), CLOCK);
        fresh.restore(interrupted.engine.snapshot(F1));
        Run restored = new Run(fresh);
        restored.active.putAll(interrupted.active);

        List<DetectionChange> expected = uninterrupted.apply(elsewhere("x", day(9)));   // the payment left at day 8: up
        List<DetectionChange> actual = restored.apply(elsewhere("x", day(9)));

        assertThat(kinds(actual)).containsExactly(tuple("Emitted", "expiry:" + day(8)));
        assertThat(actual).isEqualTo(expected);
        assertThat(restored.active).isEqualTo(uninterrupted.active);
    }

    @Test
    void shouldKeepAboveStateAcrossPruningAndRestoreWhenRiskStaysHigh() {
        EngineSettings settings = settings("0.8", MODEL);
        Run uninterrupted = new Run(settings);
        // score 0: −2.0 + 3.6 + 0.4 + 0.3 = 2.3, risk 0.9089 from the family's first point on, and the latest score is
        // carried past pruning, so the risk stays above while the horizon passes it
        uninterrupted.apply(score("s", day(0), 0));
        assertThat(kinds(uninterrupted.changes)).containsExactly(tuple("Emitted", "s"));
        uninterrupted.apply(elsewhere("x1", day(50)));               // family-1's events are pruned
        FamilySnapshot snapshot = uninterrupted.engine.snapshot(F1);
        assertThat(snapshot.events()).isEmpty();
        assertThat(snapshot.riskAbove()).containsExactly(PATTERN);

        PartitionEngine fresh = new PartitionEngine(settings, uninterrupted.engine.streamTime(), uninterrupted.engine.watermark(), CLOCK);
        fresh.restore(snapshot);
        Run restored = new Run(fresh);

        Event again = score("s2", day(50), 0);
        assertThat(restored.apply(again)).as("still above: no new crossing").isEmpty();
        assertThat(uninterrupted.apply(again)).isEmpty();
    }
}
