package dev.pulse.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.family.AlertHistory;
import dev.pulse.family.AlertLevel;
import dev.pulse.family.EngagementRules;
import dev.pulse.family.FamilyMetrics;
import dev.pulse.family.FamilyMetricsCalculator;
import dev.pulse.family.Trend;
import dev.pulse.rules.Detection;
import dev.pulse.rules.DetectionChange;
import dev.pulse.rules.DetectionId;
import dev.pulse.rules.MatchedEvent;
import dev.pulse.rules.Severity;
import dev.pulse.stream.operator.FamilyTimeline;
import dev.pulse.stream.time.StreamTime;
import dev.pulse.stream.time.Watermark;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The partition engine as a deterministic step function (SPEC §2, §3.1, §3.3 engagement_alert, §7):
 * level history and its detections, rolling expiry driven by stream time, order independence within
 * the out-of-orderness bound, and snapshot/restore. Plain JUnit, no Spring, no broker.
 */
class PartitionEngineTest {

    private static final String F1 = "family-1";
    private static final String F2 = "family-2";
    private static final String PATTERN = "engagement_alert";
    private static final Instant DAY0 = Instant.parse("2026-11-01T09:00:00Z");
    /** These tests are about metrics and engagement alerts: no data rules, so only those detections appear. */
    private static final dev.pulse.rules.CompiledRules NO_RULES =
            dev.pulse.rules.CompiledRules.compile(new dev.pulse.rules.RuleSet("none", java.util.List.of()));
    private static final EngineSettings SETTINGS = EngineSettings.of(Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO,
            EngagementRules.DEFAULTS, NO_RULES, dev.pulse.stream.window.WindowSpec.DEFAULTS);
    /** The same engine without pruning in any scenario here: what the complete stream gives. */
    private static final EngineSettings NEVER_PRUNE = new EngineSettings(Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO,
            EngagementRules.DEFAULTS, NO_RULES, dev.pulse.stream.window.WindowSpec.DEFAULTS, Duration.ofDays(365 * 100),
            dev.pulse.family.RiskModel.NONE);
    /** Idle-advance is off in these settings: the engine must not depend on the wall clock. */
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.EPOCH);

    /** A fresh engine at another engine's stream time and watermark, as after a restart from its checkpoint. */
    private static PartitionEngine resumed(PartitionEngine from) {
        return new PartitionEngine(SETTINGS, from.streamTime(), from.watermark(), CLOCK);
    }

    private static Instant day(int n) {
        return DAY0.plus(Duration.ofDays(n));
    }

    private static Event score(String family, String id, Instant at, int value) {
        return Events.score(family).at(at).score(value).id(id).build();
    }

    private static Event login(String family, String id, Instant at) {
        return Events.login(family).at(at).id(id).build();
    }

    private static Event payment(String family, String id, Instant at) {
        return Events.payment(family).at(at).id(id).build();
    }

    // ------------------------------------------------------------------------------------------------
    // A run: feeds batches and keeps what a projection would hold (last metrics, active detections).
    // ------------------------------------------------------------------------------------------------

    private static final class Run {
        PartitionEngine engine;
        final String context;
        final Map<String, Detection> active = new TreeMap<>();
        final Map<String, FamilyMetrics> lastMetrics = new TreeMap<>();
        final List<DetectionChange> changes = new ArrayList<>();

        Run(PartitionEngine engine, String context) {
            this.engine = engine;
            this.context = context;
        }

        Run(String context) {
            this(PartitionEngine.fresh(SETTINGS, CLOCK), context);
        }

        EngineOutput apply(List<Event> batch) {
            EngineOutput out = engine.apply(batch);
            out.metrics().forEach(m -> lastMetrics.put(m.familyId(), m));
            for (DetectionChange change : out.detections()) {
                changes.add(change);
                String id = change.detection().detectionId();
                if (change instanceof DetectionChange.Emitted) {
                    assertThat(active).as("%s: %s emitted while already active", context, id).doesNotContainKey(id);
                    active.put(id, change.detection());
                } else if (change instanceof DetectionChange.Updated) {
                    assertThat(active).as("%s: %s updated while not active", context, id).containsKey(id);
                    active.put(id, change.detection());
                } else {
                    assertThat(active).as("%s: %s retracted while not active", context, id).containsKey(id);
                    active.remove(id);
                }
            }
            return out;
        }

        EngineOutput apply(Event... batch) {
            return apply(List.of(batch));
        }
    }

    private static Detection expected(String family, String anchor, Severity severity, Instant at, AlertLevel from, AlertLevel to,
                                      String reason, List<Event> matched) {
        return Detection.of(PATTERN, family, anchor, severity, BigDecimal.ONE, matched.stream().map(MatchedEvent::of).toList(), at,
                Map.of("from_level", from.wireName(), "to_level", to.wireName(), "reason", reason));
    }

    private static List<Tuple> kinds(List<DetectionChange> changes) {
        return changes.stream().map(c -> tuple(c.getClass().getSimpleName(), c.detection().anchor())).toList();
    }

    // ------------------------------------------------------------------------------------------------
    // The seed scenario: 80 falling to 20 over two weeks, one score a day.
    // ------------------------------------------------------------------------------------------------

    private static final int[] FALL = {80, 76, 72, 68, 64, 60, 56, 52, 48, 44, 40, 36, 32, 26, 20};

    private static List<Event> fall(String family) {
        return IntStream.range(0, FALL.length).mapToObj(d -> score(family, "s" + d, day(d), FALL[d])).toList();
    }

    @Test
    void shouldGoNoneWatchWarningCriticalWhenScoreFallsFrom80To20OverTwoWeeks() {
        // In range on day d: days max(0, d−6)..d (the score of d−7 left at that very instant), so the change
        // is −4·min(d, 6) through day 12, then 26−52 = −26 and 20−48 = −28; it never passes −40 or −25 first.
        Run run = new Run("fall");
        List<Tuple> levels = new ArrayList<>();
        List<List<DetectionChange>> detectionsByDay = new ArrayList<>();
        for (Event e : fall(F1)) {
            EngineOutput out = run.apply(e);
            assertThat(out.metrics()).extracting(FamilyMetrics::familyId).containsExactly(F1);
            FamilyMetrics m = out.metrics().get(0);
            levels.add(tuple(m.alertLevel(), m.alertReason(), m.engagementChange7Days()));
            detectionsByDay.add(out.detections());
        }

        assertThat(levels).containsExactly(
                tuple(AlertLevel.NONE, null, 0),
                tuple(AlertLevel.NONE, null, -4),
                tuple(AlertLevel.NONE, null, -8),
                tuple(AlertLevel.WATCH, "score 68 < 70; change_7d -12 < -10", -12),
                tuple(AlertLevel.WATCH, "score 64 < 70; change_7d -16 < -10", -16),
                tuple(AlertLevel.WATCH, "score 60 < 70; change_7d -20 < -10", -20),
                tuple(AlertLevel.WATCH, "score 56 < 70; change_7d -24 < -10", -24),
                tuple(AlertLevel.WATCH, "score 52 < 70; change_7d -24 < -10", -24),
                tuple(AlertLevel.WARNING, "score 48 < 50", -24),
                tuple(AlertLevel.WARNING, "score 44 < 50", -24),
                tuple(AlertLevel.WARNING, "score 40 < 50", -24),
                tuple(AlertLevel.WARNING, "score 36 < 50", -24),
                tuple(AlertLevel.WARNING, "score 32 < 50", -24),
                tuple(AlertLevel.CRITICAL, "score 26 < 30", -26),
                tuple(AlertLevel.CRITICAL, "score 20 < 30", -28));
        // one engagement_alert per rise, on the day of the rise, nothing on the other days
        for (int d = 0; d < FALL.length; d++) {
            assertThat(detectionsByDay.get(d)).as("day %s", d).hasSize(d == 3 || d == 8 || d == 13 ? 1 : 0);
        }
        List<Event> s = fall(F1);
        assertThat(run.changes).containsExactly(
                new DetectionChange.Emitted(expected(F1, "s3", Severity.WATCH, day(3), AlertLevel.NONE, AlertLevel.WATCH,
                        "score 68 < 70; change_7d -12 < -10", List.of(s.get(3)))),
                new DetectionChange.Emitted(expected(F1, "s8", Severity.WARNING, day(8), AlertLevel.WATCH, AlertLevel.WARNING,
                        "score 48 < 50", List.of(s.get(8)))),
                new DetectionChange.Emitted(expected(F1, "s13", Severity.CRITICAL, day(13), AlertLevel.WARNING, AlertLevel.CRITICAL,
                        "score 26 < 30", List.of(s.get(13)))));
    }

    @Test
    void shouldDeriveDetectionIdFromPatternFamilyAndAnchorWhenLevelRises() {
        Run run = new Run("ids");
        fall(F1).forEach(run::apply);

        assertThat(run.changes).extracting(c -> c.detection().detectionId()).containsExactly(
                DetectionId.of(PATTERN, F1, "s3"), DetectionId.of(PATTERN, F1, "s8"), DetectionId.of(PATTERN, F1, "s13"));
        assertThat(run.changes).extracting(DetectionChange::detection)
                .extracting(Detection::pattern, Detection::familyId, Detection::anchor, Detection::severity, Detection::detectedAt)
                .containsExactly(
                        tuple(PATTERN, F1, "s3", Severity.WATCH, day(3)),
                        tuple(PATTERN, F1, "s8", Severity.WARNING, day(8)),
                        tuple(PATTERN, F1, "s13", Severity.CRITICAL, day(13)));
        assertThat(run.changes.get(0).detection().matchedEvents())
                .containsExactly(new MatchedEvent("s3", "EngagementScoreUpdated", day(3), BigDecimal.valueOf(68)));
    }

    @Test
    void shouldComputeEveryFigureWhenSeedScenarioEnds() {
        Run run = new Run("final");
        fall(F1).forEach(run::apply);

        FamilyMetrics m = run.lastMetrics.get(F1);
        assertThat(m.currentEngagementScore()).isEqualTo(20);
        assertThat(m.engagementChange7Days()).isEqualTo(-28);                      // 20 − 48 (day 8; day 7 left at day 14)
        assertThat(m.engagement7DayAvg()).isEqualTo(new BigDecimal("35.14"));     // 246 / 7 = 35.142…
        assertThat(m.engagement30DayAvg()).isEqualTo(new BigDecimal("51.60"));    // 774 / 15
        assertThat(m.engagementTrend().direction()).isEqualTo("declining");        // last 7: 48..20, −128 / 28
        assertThat(m.engagementTrend().slope()).isCloseTo(-128.0 / 28, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(m.eventsLast7Days()).isEqualTo(7);
        assertThat(m.loginsLast7Days()).isZero();
        assertThat(m.paymentsLast7Days()).isZero();
        assertThat(m.alertLevel()).isEqualTo(AlertLevel.CRITICAL);
        assertThat(m.alertReason()).isEqualTo("score 20 < 30");
        assertThat(m.alertSince()).isEqualTo(day(13));
        assertThat(m.eventsProcessed()).isEqualTo(15);
        assertThat(m.lastEventTimestamp()).isEqualTo(day(14));
        assertThat(m.asOf()).isEqualTo(day(14));
    }

    @Test
    void shouldEndInSameStateWhenSeedScenarioIsOneBatch() {
        Run oneByOne = new Run("one by one");
        fall(F1).forEach(oneByOne::apply);
        Run oneBatch = new Run("one batch");
        EngineOutput out = oneBatch.apply(fall(F1));

        assertThat(out.metrics()).containsExactly(oneByOne.lastMetrics.get(F1));
        assertThat(oneBatch.active).isEqualTo(oneByOne.active);
        assertThat(kinds(out.detections())).containsExactly(tuple("Emitted", "s3"), tuple("Emitted", "s8"), tuple("Emitted", "s13"));
    }

    @Test
    void shouldEmitOneDetectionPerRiseWhenEventsOfOneInstantArriveInReverseIdOrder() {
        // p=80; at 09:00 "a1"=60 (watch) and "a2"=25 (critical) are applied in id order whatever the arrival:
        // both rises count, each with its own detection
        Run run = new Run("instant");
        Event p = score(F1, "p", day(0).minusSeconds(60), 80);
        Event a1 = score(F1, "a1", day(0), 60);
        Event a2 = score(F1, "a2", day(0), 25);
        run.apply(p);

        EngineOutput out = run.apply(a2, a1);

        assertThat(out.detections()).containsExactly(
                new DetectionChange.Emitted(expected(F1, "a1", Severity.WATCH, day(0), AlertLevel.NONE, AlertLevel.WATCH,
                        "score 60 < 70; change_7d -20 < -10", List.of(a1))),
                new DetectionChange.Emitted(expected(F1, "a2", Severity.CRITICAL, day(0), AlertLevel.WATCH, AlertLevel.CRITICAL,
                        "score 25 < 30; change_7d -55 < -40", List.of(a2))));
        assertThat(out.metrics().get(0).currentEngagementScore()).isEqualTo(25);
    }

    // ------------------------------------------------------------------------------------------------
    // Out-of-order scores that change the level history: update and retraction (SPEC §7).
    // ------------------------------------------------------------------------------------------------

    @Test
    void shouldEmitNewRiseAndUpdateLaterOneWhenScoreLandsBetweenTwoOthers() {
        // a=80 (09:00:00), c=40 (09:00:04): [a,c] −40 -> warning, rise at c from none.
        // b=60 (09:00:02) arrives 2 s late: a none, b −20 -> watch (new rise), c −40 -> warning, now from watch.
        Event a = score(F1, "a", day(0), 80);
        Event b = score(F1, "b", day(0).plusSeconds(2), 60);
        Event c = score(F1, "c", day(0).plusSeconds(4), 40);
        Run run = new Run("late b");
        run.apply(a);
        EngineOutput first = run.apply(c);
        assertThat(first.detections()).containsExactly(new DetectionChange.Emitted(expected(F1, "c", Severity.WARNING, c.eventTimestamp(),
                AlertLevel.NONE, AlertLevel.WARNING, "score 40 < 50; change_7d -40 < -25", List.of(c))));

        EngineOutput late = run.apply(b);

        assertThat(late.detections()).containsExactly(
                new DetectionChange.Emitted(expected(F1, "b", Severity.WATCH, b.eventTimestamp(), AlertLevel.NONE, AlertLevel.WATCH,
                        "score 60 < 70; change_7d -20 < -10", List.of(b))),
                new DetectionChange.Updated(expected(F1, "c", Severity.WARNING, c.eventTimestamp(), AlertLevel.WATCH, AlertLevel.WARNING,
                        "score 40 < 50; change_7d -40 < -25", List.of(c))));
        Run inOrder = new Run("in order");
        inOrder.apply(a);
        inOrder.apply(b);
        inOrder.apply(c);
        assertThat(run.active).isEqualTo(inOrder.active);
        assertThat(run.lastMetrics).isEqualTo(inOrder.lastMetrics);
    }

    @Test
    void shouldRetractRiseWhenScoreLandingBetweenTwoOthersMovesIt() {
        // a=80, c=60 (+2 s): −20 -> watch, rise at c; d=80 (+4 s): back to none.
        // b=65 (+1 s) arrives late: the rise is now at b (−15, score 65), and c (−20) no longer rises.
        // Unaffected: an earlier episode of family-1 (out of range since) and family-2's own rise.
        Event early = score(F1, "early", day(-10), 25);
        Event other = score(F2, "other", day(0), 20);
        Event a = score(F1, "a", day(0), 80);
        Event b = score(F1, "b", day(0).plusSeconds(1), 65);
        Event c = score(F1, "c", day(0).plusSeconds(2), 60);
        Event d = score(F1, "d", day(0).plusSeconds(4), 80);
        Run run = new Run("late b");
        Stream.of(early, other, a, c, d).forEach(run::apply);
        Detection riseAtC = expected(F1, "c", Severity.WATCH, c.eventTimestamp(), AlertLevel.NONE, AlertLevel.WATCH,
                "score 60 < 70; change_7d -20 < -10", List.of(c));
        assertThat(run.active.values()).extracting(Detection::anchor).containsExactlyInAnyOrder("early", "other", "c");
        assertThat(run.active).containsValue(riseAtC);

        EngineOutput late = run.apply(b);

        assertThat(late.detections()).containsExactly(
                new DetectionChange.Emitted(expected(F1, "b", Severity.WATCH, b.eventTimestamp(), AlertLevel.NONE, AlertLevel.WATCH,
                        "score 65 < 70; change_7d -15 < -10", List.of(b))),
                new DetectionChange.Retracted(riseAtC));
        Run inOrder = new Run("in order");
        Stream.of(early, other, a, b, c, d).forEach(inOrder::apply);
        assertThat(run.active).isEqualTo(inOrder.active);
        assertThat(run.active.keySet()).containsExactlyInAnyOrder(DetectionId.of(PATTERN, F1, "early"),
                DetectionId.of(PATTERN, F2, "other"), DetectionId.of(PATTERN, F1, "b"));
    }

    @Test
    void shouldRaiseSeverityInPlaceWhenEarlierScoreArrivesLate() {
        // a=80 (+2 s), c=60 (+4 s): −20 -> watch at c. b=100 (+0 s) arrives late and becomes the first in range:
        // a is now −20 from b (watch, a new rise) and c −40 (warning): c's detection is updated to warning.
        Event b = score(F1, "b", day(0), 100);
        Event a = score(F1, "a", day(0).plusSeconds(2), 80);
        Event c = score(F1, "c", day(0).plusSeconds(4), 60);
        Run run = new Run("late b");
        run.apply(a);
        run.apply(c);

        EngineOutput late = run.apply(b);

        assertThat(late.detections()).containsExactly(
                new DetectionChange.Emitted(expected(F1, "a", Severity.WATCH, a.eventTimestamp(), AlertLevel.NONE, AlertLevel.WATCH,
                        "change_7d -20 < -10", List.of(a))),
                new DetectionChange.Updated(expected(F1, "c", Severity.WARNING, c.eventTimestamp(), AlertLevel.WATCH, AlertLevel.WARNING,
                        "change_7d -40 < -25", List.of(c))));
        Run inOrder = new Run("in order");
        Stream.of(b, a, c).forEach(inOrder::apply);
        assertThat(run.active).isEqualTo(inOrder.active);
    }

    @Test
    void shouldNotMoveStreamTimeBackWhenEventIsOutOfOrder() {
        PartitionEngine engine = PartitionEngine.fresh(SETTINGS, CLOCK);
        assertThat(engine.streamTime()).isEqualTo(StreamTime.NONE);
        assertThat(engine.watermark()).isEqualTo(Watermark.NONE);

        engine.apply(List.of(login(F1, "x", day(0).plusSeconds(4))));
        EngineOutput out = engine.apply(List.of(login(F1, "y", day(0))));

        assertThat(out.streamTime()).isEqualTo(new StreamTime(day(0).plusSeconds(4)));
        assertThat(out.watermark()).isEqualTo(new Watermark(day(0).minusSeconds(1)));
        assertThat(out.metrics().get(0).asOf()).isEqualTo(day(0).plusSeconds(4));
        assertThat(out.metrics().get(0).lastEventTimestamp()).isEqualTo(day(0).plusSeconds(4));
        assertThat(out.metrics().get(0).eventsProcessed()).isEqualTo(2);
    }

    @Test
    void shouldOutputNothingWhenBatchIsEmpty() {
        Run run = new Run("empty");
        fall(F1).forEach(run::apply);

        EngineOutput out = run.apply(List.of());

        assertThat(out.metrics()).isEmpty();
        assertThat(out.detections()).isEmpty();
        assertThat(out.streamTime()).isEqualTo(new StreamTime(day(14)));
    }

    // ------------------------------------------------------------------------------------------------
    // Rolling expiry: stream time, moved by another family, updates a quiet family (SPEC §2).
    // ------------------------------------------------------------------------------------------------

    @Test
    void shouldReemitMetricsWithoutOwnEventWhenStreamTimeReachesSevenDaysAfterEvent() {
        Run run = new Run("expiry");
        run.apply(login(F1, "l", day(0)), payment(F1, "p", day(2)));
        assertThat(run.lastMetrics.get(F1).eventsLast7Days()).isEqualTo(2);

        EngineOutput before = run.apply(login(F2, "x1", day(7).minusMillis(1)));
        assertThat(before.metrics()).extracting(FamilyMetrics::familyId).containsExactly(F2);

        EngineOutput at = run.apply(login(F2, "x2", day(7)));
        assertThat(at.metrics()).extracting(FamilyMetrics::familyId).containsExactlyInAnyOrder(F1, F2);
        FamilyMetrics f1 = run.lastMetrics.get(F1);
        assertThat(f1.eventsLast7Days()).isEqualTo(1);
        assertThat(f1.loginsLast7Days()).isZero();
        assertThat(f1.paymentsLast7Days()).isEqualTo(1);
        assertThat(f1.asOf()).isEqualTo(day(7));
        assertThat(f1.eventsProcessed()).isEqualTo(2);
        assertThat(f1.lastEventTimestamp()).isEqualTo(day(2));

        run.apply(login(F2, "x3", day(9).plusSeconds(1)));
        assertThat(run.lastMetrics.get(F1).eventsLast7Days()).isZero();
        assertThat(run.lastMetrics.get(F1).paymentsLast7Days()).isZero();
    }

    @Test
    void shouldReemitMetricsWhenStreamTimeJumpsPastSeveralExpiriesAtOnce() {
        Run run = new Run("jump");
        run.apply(login(F1, "l1", day(0)), login(F1, "l2", day(1)), score(F1, "s", day(2), 80));

        EngineOutput out = run.apply(login(F2, "x", day(12)));

        assertThat(out.metrics()).extracting(FamilyMetrics::familyId).containsExactlyInAnyOrder(F1, F2);
        FamilyMetrics f1 = run.lastMetrics.get(F1);
        assertThat(f1.eventsLast7Days()).isZero();
        assertThat(f1.loginsLast7Days()).isZero();
        assertThat(f1.engagement7DayAvg()).isNull();
        assertThat(f1.engagement30DayAvg()).isEqualTo(new BigDecimal("80.00"));
    }

    @Test
    void shouldDropScoreFromMonthAverageWhenStreamTimeReachesThirtyDaysAfterIt() {
        Run run = new Run("month");
        run.apply(score(F1, "s", day(0), 80));
        run.apply(login(F2, "x1", day(29)));
        assertThat(run.lastMetrics.get(F1).engagement30DayAvg()).isEqualTo(new BigDecimal("80.00"));

        EngineOutput out = run.apply(login(F2, "x2", day(30)));

        assertThat(out.metrics()).extracting(FamilyMetrics::familyId).contains(F1);
        FamilyMetrics f1 = run.lastMetrics.get(F1);
        assertThat(f1.engagement30DayAvg()).isNull();
        assertThat(f1.currentEngagementScore()).isEqualTo(80);
        assertThat(f1.alertLevel()).isEqualTo(AlertLevel.NONE);
    }

    @Test
    void shouldEmitExpiryAnchoredRiseWhenAnotherFamilyMovesStreamTimePastIt() {
        // a=30 (d0) warning, b=90 (d1) none, c=50 (d2) watch; at d7 09:00 a leaves: [b,c] −40 -> warning
        Event a = score(F1, "a", day(0), 30);
        Event b = score(F1, "b", day(1), 90);
        Event c = score(F1, "c", day(2), 50);
        Run run = new Run("expiry rise");
        Stream.of(a, b, c).forEach(run::apply);
        assertThat(kinds(run.changes)).containsExactly(tuple("Emitted", "a"), tuple("Emitted", "c"));

        EngineOutput before = run.apply(login(F2, "x1", day(7).minusMillis(1)));
        assertThat(before.detections()).isEmpty();
        assertThat(before.metrics()).extracting(FamilyMetrics::familyId).containsExactly(F2);

        EngineOutput at = run.apply(login(F2, "x2", day(7)));

        String anchor = "expiry:2026-11-08T09:00:00Z";
        assertThat(at.detections()).containsExactly(new DetectionChange.Emitted(expected(F1, anchor, Severity.WARNING, day(7),
                AlertLevel.WATCH, AlertLevel.WARNING, "change_7d -40 < -25", List.of(b, c))));
        Detection rise = at.detections().get(0).detection();
        assertThat(rise.detectionId()).isEqualTo(DetectionId.of(PATTERN, F1, anchor));
        assertThat(rise.matchedEvents()).extracting(MatchedEvent::eventId, MatchedEvent::value)
                .containsExactly(tuple("b", BigDecimal.valueOf(90)), tuple("c", BigDecimal.valueOf(50)));
        FamilyMetrics f1 = run.lastMetrics.get(F1);
        assertThat(f1.alertLevel()).isEqualTo(AlertLevel.WARNING);
        assertThat(f1.alertReason()).isEqualTo("change_7d -40 < -25");
        assertThat(f1.alertSince()).isEqualTo(day(7));
        assertThat(f1.engagementChange7Days()).isEqualTo(-40);

        // d8: b leaves, back to watch; the expiry rise stays (it happened), nothing is retracted
        EngineOutput next = run.apply(login(F2, "x3", day(8)));
        assertThat(next.detections()).isEmpty();
        assertThat(run.lastMetrics.get(F1).alertLevel()).isEqualTo(AlertLevel.WATCH);
        assertThat(run.lastMetrics.get(F1).alertSince()).isEqualTo(day(8));
        assertThat(run.active).containsKey(DetectionId.of(PATTERN, F1, anchor));
    }

    // ------------------------------------------------------------------------------------------------
    // Order independence: seeded random scenarios, shuffled within the out-of-orderness bound.
    // ------------------------------------------------------------------------------------------------

    /** A random partition: 3–5 families over ~20 days, events in bursts at a few times of day. */
    static List<Event> scenario(long seed, int days) {
        return scenario(seed, days, Integer.MAX_VALUE);
    }

    /** @param quietFrom the day from which family-1 sends nothing more (the others go on) */
    static List<Event> scenario(long seed, int days, int quietFrom) {
        Random r = new Random(seed);
        int familyCount = 3 + r.nextInt(3);
        int[] level = new int[familyCount];
        for (int f = 0; f < familyCount; f++) {
            level[f] = 40 + r.nextInt(61);
        }
        // Few distinct times of day, whole seconds: events of different families and days collide on one
        // instant, and t + 7d of one event is often exactly the time of another (expiry before event).
        Duration[] slots = {Duration.ofHours(0), Duration.ofSeconds(3), Duration.ofMinutes(270), Duration.ofSeconds(32_401)};
        String[] others = {"EmailOpened", "UserLogout", "PaymentOverdue"};
        List<Event> events = new ArrayList<>();
        int n = 0;
        for (int d = 0; d < days; d++) {
            for (Duration slot : slots) {
                if (r.nextInt(3) == 0) {
                    continue;
                }
                Instant base = day(d).plus(slot);
                for (int f = 0; f < familyCount; f++) {
                    if (r.nextInt(100) >= 45 || (f == 0 && d >= quietFrom)) {
                        continue;
                    }
                    String family = "family-" + (f + 1);
                    int burst = 1 + r.nextInt(3);
                    for (int k = 0; k < burst; k++) {
                        Instant t = base.plusSeconds(r.nextInt(5)).plusMillis(r.nextInt(4) == 0 ? r.nextInt(1000) : 0);
                        // a random first letter: id order (the tie-break) is not generation order
                        String id = (char) ('a' + r.nextInt(26)) + String.format("%05d", n++);
                        int kind = r.nextInt(100);
                        if (kind < 50) {
                            level[f] = r.nextInt(8) == 0 ? r.nextInt(101) : Math.max(0, Math.min(100, level[f] + r.nextInt(25) - 12));
                            events.add(score(family, id, t, level[f]));
                        } else if (kind < 70) {
                            events.add(login(family, id, t));
                        } else if (kind < 85) {
                            events.add(payment(family, id, t));
                        } else {
                            events.add(Events.of(others[r.nextInt(others.length)], family).at(t).id(id).build());
                        }
                    }
                }
            }
        }
        events.sort(Event.EVENT_TIME_ORDER);
        return events;
    }

    /** An arrival order within the bound: each event delayed by less than 5 s, so none is behind the watermark. */
    static List<Event> shuffled(List<Event> inOrder, Random r) {
        record Arrival(long key, int tie, Event event) {
        }
        List<Arrival> arrivals = new ArrayList<>();
        for (Event e : inOrder) {
            arrivals.add(new Arrival(e.eventTimestamp().toEpochMilli() + r.nextInt(5_000), r.nextInt(), e));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::key).thenComparingInt(Arrival::tie));
        return arrivals.stream().map(Arrival::event).toList();
    }

    static List<List<Event>> batches(List<Event> events, Random r) {
        List<List<Event>> batches = new ArrayList<>();
        for (int i = 0; i < events.size(); ) {
            int size = Math.min(events.size() - i, 1 + r.nextInt(12));
            batches.add(events.subList(i, i + size));
            i += size;
        }
        return batches;
    }

    private static final FamilyMetricsCalculator CALCULATOR = new FamilyMetricsCalculator(EngagementRules.DEFAULTS);

    /** The metrics of a family read afresh from its snapshot at the engine's stream time. */
    static FamilyMetrics fromSnapshot(PartitionEngine engine, String family) {
        FamilySnapshot snapshot = engine.snapshot(family);
        FamilyTimeline timeline = new FamilyTimeline(family);
        snapshot.events().forEach(timeline::add);
        return CALCULATOR.view(timeline, snapshot.eventsProcessed(), snapshot.lastEventTimestamp(), snapshot.carry().recentScores(), snapshot.carry(),
                engine.streamTime().instant()).metrics();
    }

    /** The same figures with as_of blanked: as_of moves with every event, the figures only at expiries. */
    static FamilyMetrics figures(FamilyMetrics m) {
        return new FamilyMetrics(m.familyId(), m.currentEngagementScore(), m.engagementTrend(), m.engagementChange7Days(),
                m.engagement7DayAvg(), m.engagement30DayAvg(), m.eventsLast7Days(), m.loginsLast7Days(), m.paymentsLast7Days(),
                m.alertLevel(), m.alertReason(), m.alertSince(), m.eventsProcessed(), m.lastEventTimestamp(), Instant.EPOCH,
                m.riskScore(), m.riskFactors(), m.modelVersion());
    }

    static Set<String> families(List<Event> events) {
        return events.stream().map(Event::aggregateId).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every family's last emitted row must show what a fresh computation shows now (SPEC §2 "kept current"). */
    static void assertLastMetricsCurrent(Run run, String context) {
        assertLastMetricsCurrent(run, context, m -> m);
    }

    static void assertLastMetricsCurrent(Run run, String context, java.util.function.UnaryOperator<FamilyMetrics> compared) {
        for (Map.Entry<String, FamilyMetrics> entry : run.lastMetrics.entrySet()) {
            assertThat(compared.apply(figures(entry.getValue())))
                    .as("%s: last emitted metrics of %s are stale at stream time %s", context, entry.getKey(), run.engine.streamTime())
                    .isEqualTo(compared.apply(figures(fromSnapshot(run.engine, entry.getKey()))));
        }
    }

    /** The rises of the complete stream, computed straight from the level history (the oracle). */
    static Set<String> risesOfCompleteStream(List<Event> events, Instant asOf) {
        AlertHistory history = new AlertHistory(EngagementRules.DEFAULTS);
        Set<String> ids = new TreeSet<>();
        for (String family : families(events)) {
            List<Event> scores = events.stream()
                    .filter(e -> e.aggregateId().equals(family) && e.newScore().isPresent())
                    .sorted(Event.EVENT_TIME_ORDER).toList();
            history.walk(scores, asOf, AlertHistory.Resume.NONE).steps().stream()
                    .filter(AlertHistory.Step::rose)
                    .forEach(s -> ids.add(DetectionId.of(PATTERN, family, s.anchor())));
        }
        return ids;
    }

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldReachInOrderStateWhenEventsArriveShuffledWithinBoundInRandomBatches(long seed) {
        List<Event> inOrder = scenario(seed, 18 + (int) (seed % 5));
        Random r = new Random(seed * 31 + 7);
        List<Event> arrival = shuffled(inOrder, r);
        String context = "seed " + seed;

        Run reference = new Run(context + " in order");
        for (Event e : inOrder) {
            reference.apply(e);
        }
        Run shuffled = new Run(context + " shuffled");
        for (List<Event> batch : batches(arrival, r)) {
            for (Event e : batch) {
                assertThat(e.eventTimestamp()).as("%s: generator must stay within the bound", context)
                        .isAfterOrEqualTo(shuffled.engine.watermark().instant());
            }
            shuffled.apply(batch);
            assertLastMetricsCurrent(shuffled, context);
        }

        assertThat(shuffled.engine.streamTime()).as(context).isEqualTo(reference.engine.streamTime());
        for (String family : families(inOrder)) {
            // asOf is when the family was last computed, and the rule state's frozen horizon follows the watermark
            // at the last evaluation: both depend on where batches were cut, neither is a result.
            assertThat(withoutAsOf(shuffled.engine.snapshot(family))).as("%s: snapshot of %s", context, family)
                    .isEqualTo(withoutAsOf(reference.engine.snapshot(family)));
            assertThat(fromSnapshot(shuffled.engine, family)).as("%s: metrics of %s", context, family)
                    .isEqualTo(fromSnapshot(reference.engine, family));
            assertThat(figures(shuffled.lastMetrics.get(family))).as("%s: last emitted metrics of %s", context, family)
                    .isEqualTo(figures(reference.lastMetrics.get(family)));
        }
        assertThat(shuffled.active.keySet()).as("%s: active engagement_alert ids", context)
                .isEqualTo(reference.active.keySet())
                .isEqualTo(risesOfCompleteStream(inOrder, reference.engine.streamTime().instant()));
        assertThat(shuffled.active).as("%s: active detections, field by field", context).isEqualTo(reference.active);

        // a final common event per family at one instant: every family is re-emitted at the same as_of
        Instant end = reference.engine.streamTime().instant().plus(Duration.ofHours(1));
        List<Event> closing = families(inOrder).stream().map(f -> login(f, "zz-close-" + f, end)).toList();
        EngineOutput last = shuffled.apply(closing);
        EngineOutput lastReference = reference.apply(closing);
        assertThat(last.metrics()).as("%s: metrics after a common final event", context)
                .containsExactlyInAnyOrderElementsOf(lastReference.metrics());
        assertThat(shuffled.active).as("%s: active detections after a common final event", context).isEqualTo(reference.active);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldKeepEveryFamilysLastMetricsCurrentWhenEventsArriveInOrder(long seed) {
        List<Event> inOrder = scenario(seed, 24);
        Run run = new Run("seed " + seed);
        for (List<Event> batch : batches(inOrder, new Random(seed))) {
            run.apply(batch);
            assertLastMetricsCurrent(run, "seed " + seed);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Snapshot and restore.
    // ------------------------------------------------------------------------------------------------

    @Test
    void shouldGiveSameMetricsAndNoDuplicateDetectionsWhenFamilyIsRestoredAtSameStreamTime() {
        List<Event> s = fall(F1);
        Run original = new Run("original");
        s.subList(0, 10).forEach(original::apply);                 // rises at d3 and d8 already emitted
        FamilySnapshot snapshot = original.engine.snapshot(F1);
        PartitionEngine fresh = resumed(original.engine);

        fresh.restore(snapshot);

        assertThat(fresh.knows(F1)).isTrue();
        assertThat(fresh.snapshot(F1)).isEqualTo(snapshot);
        assertThat(fromSnapshot(fresh, F1)).isEqualTo(fromSnapshot(original.engine, F1));
        Run restored = new Run(fresh, "restored");
        restored.active.putAll(original.active);
        for (Event e : s.subList(10, s.size())) {
            EngineOutput expected = original.apply(e);
            EngineOutput actual = restored.apply(e);
            assertThat(actual).as("after %s", e.eventId()).isEqualTo(expected);
        }
        assertThat(kinds(restored.changes)).containsExactly(tuple("Emitted", "s13"));
        assertThat(restored.active).isEqualTo(original.active);
    }

    @Test
    void shouldEmitNothingWhenRestoredFamilyGetsEventThatChangesNoLevel() {
        List<Event> s = fall(F1);
        Run original = new Run("original");
        s.subList(0, 14).forEach(original::apply);
        PartitionEngine fresh = resumed(original.engine);
        fresh.restore(original.engine.snapshot(F1));

        EngineOutput out = fresh.apply(List.of(login(F1, "l", day(13).plusSeconds(1))));

        assertThat(out.detections()).isEmpty();
        assertThat(out.metrics()).hasSize(1);
        assertThat(out.metrics().get(0).alertLevel()).isEqualTo(AlertLevel.CRITICAL);
        assertThat(out.metrics().get(0).alertSince()).isEqualTo(day(13));
        assertThat(out.metrics().get(0).eventsProcessed()).isEqualTo(15);
    }

    @Test
    void shouldReArmExpiryWhenFamilyIsRestoredBeforeItsScoreLeavesRange() {
        Event a = score(F1, "a", day(0), 30);
        Event b = score(F1, "b", day(1), 90);
        Event c = score(F1, "c", day(2), 50);
        Run original = new Run("original");
        original.apply(a, b, c);
        PartitionEngine fresh = resumed(original.engine);
        fresh.restore(original.engine.snapshot(F1));
        Run restored = new Run(fresh, "restored");

        EngineOutput expected = original.apply(login(F2, "x", day(7)));
        EngineOutput actual = restored.apply(login(F2, "x", day(7)));

        assertThat(kinds(actual.detections())).containsExactly(tuple("Emitted", "expiry:2026-11-08T09:00:00Z"));
        assertThat(actual.detections()).isEqualTo(expected.detections());
        assertThat(actual.metrics().stream().filter(m -> m.familyId().equals(F1)).toList())
                .isEqualTo(expected.metrics().stream().filter(m -> m.familyId().equals(F1)).toList());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("restoreSeeds")
    void shouldContinueLikeUninterruptedRunWhenAllFamiliesAreRestoredMidStream(long seed) {
        List<Event> inOrder = scenario(seed, 20);
        Random r = new Random(seed ^ 0x5DEECE66DL);
        List<List<Event>> batches = batches(shuffled(inOrder, r), r);
        int cut = 1 + r.nextInt(batches.size() - 1);
        String context = "seed " + seed + ", restored after batch " + cut;

        Run uninterrupted = new Run(context + " uninterrupted");
        batches.forEach(uninterrupted::apply);

        Run interrupted = new Run(context + " interrupted");
        batches.subList(0, cut).forEach(interrupted::apply);
        PartitionEngine fresh = resumed(interrupted.engine);
        for (String family : families(inOrder)) {
            if (interrupted.engine.knows(family)) {
                fresh.restore(interrupted.engine.snapshot(family));
            }
        }
        interrupted.engine = fresh;
        batches.subList(cut, batches.size()).forEach(interrupted::apply);

        assertThat(interrupted.active).as("%s: active detections", context).isEqualTo(uninterrupted.active);
        for (String family : families(inOrder)) {
            assertThat(figures(interrupted.lastMetrics.get(family))).as("%s: last metrics of %s", context, family)
                    .isEqualTo(figures(uninterrupted.lastMetrics.get(family)));
            assertThat(fromSnapshot(interrupted.engine, family)).as("%s: metrics of %s", context, family)
                    .isEqualTo(fromSnapshot(uninterrupted.engine, family));
        }
    }

    static LongStream restoreSeeds() {
        return LongStream.range(1000, 1100);
    }

    @Test
    void shouldRefuseSnapshotWhenFamilyIsUnknown() {
        PartitionEngine engine = PartitionEngine.fresh(SETTINGS, CLOCK);

        assertThat(engine.knows(F1)).isFalse();
        assertThatThrownBy(() -> engine.snapshot(F1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(F1);
    }

    /**
     * The pipeline restores a family only when its next event comes (EventPipeline#commit), into an engine
     * whose stream time came from the partition checkpoint. If other families moved stream time past the
     * instant a score leaves this family's range, the expiry rise must still be emitted once.
     */
    @Test
    void shouldEmitExpiryRiseWhenFamilyIsRestoredAfterStreamTimePassedIt() {
        Event a = score(F1, "a", day(0), 30);
        Event b = score(F1, "b", day(1), 90);
        Event c = score(F1, "c", day(2), 50);
        Run original = new Run("original");
        original.apply(a, b, c);
        FamilySnapshot snapshot = original.engine.snapshot(F1);

        // restart: a fresh engine at the checkpoint's stream time; family-1 is not loaded yet
        Run restarted = new Run(resumed(original.engine), "restarted");
        restarted.active.putAll(original.active);
        restarted.apply(login(F2, "x", day(7)));                    // past the expiry rise of family-1 at d7
        restarted.engine.restore(snapshot);                          // loaded when its own next event comes
        restarted.apply(login(F1, "l", day(7).plusSeconds(1)));

        original.apply(login(F2, "x", day(7)));
        original.apply(login(F1, "l", day(7).plusSeconds(1)));
        String expiryRise = DetectionId.of(PATTERN, F1, "expiry:2026-11-08T09:00:00Z");
        assertThat(original.active).containsKey(expiryRise);
        assertThat(restarted.active).as("the rise at d7 must be emitted by the restarted lane too").isEqualTo(original.active);
    }

    // ------------------------------------------------------------------------------------------------
    // Pruning: events older than watermark − retention are forgotten; the figures must not change.
    // ------------------------------------------------------------------------------------------------

    /** a=90 (d0), b=45 (d1): −45 -> critical at b; at d7 a leaves: [b] 0, 45 -> warning since d7. */
    private static void criticalThenWarning(Run run) {
        run.apply(score(F1, "a", day(0), 90));
        run.apply(score(F1, "b", day(1), 45));
    }

    @Test
    void shouldKeepLevelAndSinceWhenStreamTimeJumpsPastPrunedScores() {
        Run run = new Run("pruning");
        criticalThenWarning(run);
        EngineOutput jump = run.apply(login(F2, "x", day(40)));    // family-1 recomputed by its timers, then pruned
        FamilyMetrics beforePrune = jump.metrics().stream().filter(m -> m.familyId().equals(F1)).findFirst().orElseThrow();
        assertThat(beforePrune.alertLevel()).isEqualTo(AlertLevel.WARNING);
        assertThat(beforePrune.alertSince()).isEqualTo(day(7));

        run.apply(login(F1, "l", day(40).plusSeconds(1)));

        FamilyMetrics m = run.lastMetrics.get(F1);
        assertThat(tuple(m.currentEngagementScore(), m.alertLevel(), m.alertReason(), m.alertSince()))
                .as("family-1 after its scores were pruned")
                .isEqualTo(tuple(45, AlertLevel.WARNING, "score 45 < 50", day(7)));
    }

    @Test
    void shouldLetGoOfEngagementAlertsBehindTheFrozenHorizonWhenScoresArePruned() {
        Run run = new Run("pruning");
        criticalThenWarning(run);                                   // a rise to critical at b (d1)
        assertThat(run.engine.engagementAlertsHeld(F1)).isEqualTo(1);

        run.apply(login(F2, "x", day(40)));                         // family-1 pruned: its horizon is past d1
        EngineOutput out = run.apply(score(F1, "c", day(41), 25));  // warning -> critical again

        assertThat(run.engine.engagementAlertsHeld(F1)).as("only the rise after the horizon").isEqualTo(1);
        assertThat(kinds(out.detections())).as("the frozen rise is neither retracted nor emitted again")
                .containsExactly(tuple("Emitted", "c"));
    }

    @Test
    void shouldKeepTrendOfLastSevenScoresWhenTheyAreOlderThanRetention() {
        // the trend is over the last 7 scores by event time, however old (SPEC §3.1): [90, 45] -> −45, declining
        Run run = new Run("pruning");
        criticalThenWarning(run);
        run.apply(login(F2, "x", day(40)));

        run.apply(login(F1, "l", day(40).plusSeconds(1)));

        assertThat(run.lastMetrics.get(F1).engagementTrend()).isEqualTo(new Trend("declining", -45.0));
    }

    @Test
    void shouldEmitRiseWhenLevelRisesAfterStreamTimeJumpedPastPrunedScores() {
        Run run = new Run("pruning");
        criticalThenWarning(run);
        run.apply(login(F2, "x", day(40)));

        // warning (since d7) -> critical: a rise, whatever was pruned before it
        EngineOutput out = run.apply(score(F1, "c", day(41), 25));

        assertThat(kinds(out.detections())).containsExactly(tuple("Emitted", "c"));
        assertThat(out.metrics().get(0).alertSince()).isEqualTo(day(41));
    }

    @Test
    void shouldKeepAlertSinceWhenScoresArePrunedGradually() {
        Run run = new Run("pruning");
        criticalThenWarning(run);
        for (int d = 2; d <= 40; d++) {
            run.apply(login(F2, "x" + d, day(d)));                  // stream time moves a day at a time
        }

        run.apply(login(F1, "l", day(40).plusSeconds(1)));

        FamilyMetrics m = run.lastMetrics.get(F1);
        assertThat(tuple(m.alertLevel(), m.alertReason(), m.alertSince()))
                .as("family-1 after its scores were pruned one by one")
                .isEqualTo(tuple(AlertLevel.WARNING, "score 45 < 50", day(7)));
    }

    @Test
    void shouldDropToWarningAndEmitLaterRiseWhenScoresPrunedInOneStepHadLeftRangeLongBefore() {
        // a=90 (d0 09:00), b=45 (d0 10:00): −45 -> critical by change. a leaves at d7 09:00: [b] -> warning
        // ("score 45 < 50") since then. Stream time then moves a day at a time; both scores are pruned together.
        Run run = new Run("pruning");
        run.apply(score(F1, "a", day(0), 90));
        run.apply(score(F1, "b", day(0).plus(Duration.ofHours(1)), 45));
        for (int d = 1; d <= 40; d++) {
            run.apply(login(F2, "x" + d, day(d)));
        }
        run.apply(login(F1, "l", day(40).plusSeconds(1)));
        FamilyMetrics m = run.lastMetrics.get(F1);

        EngineOutput out = run.apply(score(F1, "c", day(41), 25));

        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(tuple(m.alertLevel(), m.alertReason(), m.alertSince()))
                    .as("family-1 after both scores were pruned in one step")
                    .isEqualTo(tuple(AlertLevel.WARNING, "score 45 < 50", day(7)));
            softly.assertThat(kinds(out.detections())).as("warning -> critical is a rise").containsExactly(tuple("Emitted", "c"));
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("pruneSeeds")
    void shouldGiveSameFiguresAndDetectionsAsNeverPruningWhenScenarioOutlastsRetention(long seed) {
        // family-1 goes quiet for longer than the retention; the others keep stream time moving day by day
        List<Event> inOrder = scenario(seed, 75, 12 + (int) (seed % 8));
        Random r = new Random(seed);
        List<List<Event>> batches = batches(inOrder, r);
        Run pruning = new Run("seed " + seed + " pruning");
        Run keeping = new Run(PartitionEngine.fresh(NEVER_PRUNE, CLOCK), "seed " + seed + " never pruning");
        for (List<Event> batch : batches) {
            pruning.apply(batch);
            keeping.apply(batch);
            // the trend is compared below: pruning loses old scores from it (and so changes it silently)
            assertLastMetricsCurrent(pruning, "seed " + seed + " pruning", PartitionEngineTest::withoutTrend);
        }
        Instant end = keeping.engine.streamTime().instant().plus(Duration.ofHours(1));
        List<Event> closing = families(inOrder).stream().map(f -> login(f, "zz-close-" + f, end)).toList();

        EngineOutput pruned = pruning.apply(closing);
        EngineOutput kept = keeping.apply(closing);

        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(pruned.metrics().stream().map(PartitionEngineTest::withoutTrend).toList())
                    .as("seed %s: metrics with pruning, trend aside", seed)
                    .containsExactlyInAnyOrderElementsOf(kept.metrics().stream().map(PartitionEngineTest::withoutTrend).toList());
            softly.assertThat(pruned.metrics().stream().map(m -> tuple(m.familyId(), m.engagementTrend())).toList())
                    .as("seed %s: trends with pruning", seed)
                    .containsExactlyInAnyOrderElementsOf(kept.metrics().stream().map(m -> tuple(m.familyId(), m.engagementTrend())).toList());
            softly.assertThat(pruning.active.keySet()).as("seed %s: active detection ids with pruning", seed)
                    .isEqualTo(keeping.active.keySet());
        });
    }

    static FamilyMetrics withoutTrend(FamilyMetrics m) {
        return new FamilyMetrics(m.familyId(), m.currentEngagementScore(), Trend.STABLE, m.engagementChange7Days(),
                m.engagement7DayAvg(), m.engagement30DayAvg(), m.eventsLast7Days(), m.loginsLast7Days(), m.paymentsLast7Days(),
                m.alertLevel(), m.alertReason(), m.alertSince(), m.eventsProcessed(), m.lastEventTimestamp(), m.asOf(),
                m.riskScore(), m.riskFactors(), m.modelVersion());
    }

    static LongStream pruneSeeds() {
        return LongStream.range(2000, 2020);
    }

    private static FamilySnapshot withoutAsOf(FamilySnapshot s) {
        return new FamilySnapshot(s.familyId(), s.events(), s.eventsProcessed(), s.lastEventTimestamp(), s.carry(),
                s.frozenBefore(), null, new dev.pulse.rules.FamilyRulesState(s.familyId(), Instant.MIN, s.rules().histories(),
                        s.rules().pending()), null);
    }
}
