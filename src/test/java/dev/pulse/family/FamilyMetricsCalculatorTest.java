package dev.pulse.family;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.stream.operator.FamilyTimeline;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every figure of SPEC §3.1 read off a timeline as of a stream time: rolling ranges
 * {@code (as_of − 7d, as_of]} and {@code (as_of − 30d, as_of]}, means with two decimals half-up, the
 * level from the latest score even when it is older than the range.
 */
class FamilyMetricsCalculatorTest {

    private static final String FAMILY = "family-1";
    private static final Instant AS_OF = Instant.parse("2026-11-23T09:10:00Z");
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration WEEK = Duration.ofDays(7);
    private static final Duration MONTH = Duration.ofDays(30);

    private final FamilyMetricsCalculator calculator = new FamilyMetricsCalculator(EngagementRules.DEFAULTS);
    private int ids;

    private Event score(Instant at, int value) {
        return Events.score(FAMILY).at(at).score(value).id(String.format("s%03d", ids++)).build();
    }

    private Event of(String type, Instant at) {
        return Events.of(type, FAMILY).at(at).id(String.format("o%03d", ids++)).build();
    }

    private Event payment(Instant at) {
        return Events.payment(FAMILY).at(at).id(String.format("p%03d", ids++)).build();
    }

    private FamilyMetrics metrics(Instant asOf, List<Event> events) {
        FamilyTimeline timeline = new FamilyTimeline(FAMILY);
        events.forEach(timeline::add);
        Instant last = events.stream().map(Event::eventTimestamp).max(Comparator.naturalOrder()).orElse(null);
        return calculator.view(timeline, events.size(), last, List.of(), AlertHistory.Resume.NONE, asOf).metrics();
    }

    private FamilyMetrics metrics(List<Event> events) {
        return metrics(AS_OF, events);
    }

    static Stream<Arguments> changeRangeStart() {
        // x=90 at the range start (+offset), y=50 an hour before as_of
        return Stream.of(
                // exactly as_of − 7d is outside (as_of − 7d, as_of]: only y in range, change 0, watch by score
                arguments(Duration.ZERO, 0, AlertLevel.WATCH, "score 50 < 70", "50.00"),
                // one millisecond later it is inside: 50 − 90 = −40 -> warning by change
                arguments(Duration.ofMillis(1), -40, AlertLevel.WARNING, "change_7d -40 < -25", "70.00"));
    }

    @ParameterizedTest(name = "first score at as_of - 7d + {0}")
    @MethodSource("changeRangeStart")
    void shouldCountScoreInChangeOnlyWhenInsideHalfOpenRange(Duration offset, int change, AlertLevel level, String reason,
                                                              String avg7) {
        FamilyMetrics m = metrics(List.of(score(AS_OF.minus(WEEK).plus(offset), 90), score(AS_OF.minusSeconds(3600), 50)));

        assertThat(m.engagementChange7Days()).isEqualTo(change);
        assertThat(m.alertLevel()).isEqualTo(level);
        assertThat(m.alertReason()).isEqualTo(reason);
        assertThat(m.engagement7DayAvg()).isEqualTo(new BigDecimal(avg7));
        assertThat(m.engagement30DayAvg()).isEqualTo(new BigDecimal("70.00"));
    }

    @Test
    void shouldCountScoreAtAsOfInRangeWhenItIsTheLatest() {
        FamilyMetrics m = metrics(List.of(score(AS_OF.minus(DAY), 80), score(AS_OF, 60)));

        assertThat(m.engagementChange7Days()).isEqualTo(-20);
        assertThat(m.currentEngagementScore()).isEqualTo(60);
        assertThat(m.alertReason()).isEqualTo("score 60 < 70; change_7d -20 < -10");
    }

    @Test
    void shouldTakeLastMinusFirstWhenRangeHoldsManyScores() {
        // 70, 30, 95, 60 in range: last − first = 60 − 70 = −10 (not the min/max spread)
        FamilyMetrics m = metrics(List.of(score(AS_OF.minus(Duration.ofDays(6)), 70), score(AS_OF.minus(Duration.ofDays(4)), 30),
                score(AS_OF.minus(Duration.ofDays(2)), 95), score(AS_OF.minus(DAY), 60)));

        assertThat(m.engagementChange7Days()).isEqualTo(-10);
        assertThat(m.alertLevel()).isEqualTo(AlertLevel.WATCH);
        assertThat(m.alertReason()).isEqualTo("score 60 < 70");
    }

    @Test
    void shouldReportZeroChangeWhenFewerThanTwoScoresInRange() {
        FamilyMetrics m = metrics(List.of(score(AS_OF.minus(Duration.ofDays(20)), 95), score(AS_OF.minus(DAY), 40)));

        assertThat(m.engagementChange7Days()).isZero();
        assertThat(m.alertReason()).isEqualTo("score 40 < 50");
    }

    static Stream<Arguments> averages() {
        return Stream.of(
                arguments(List.of(100), "100.00"),
                arguments(List.of(1, 2), "1.50"),
                arguments(List.of(10, 10, 11), "10.33"),                // 10.333…
                arguments(List.of(10, 11, 11), "10.67"),                // 10.666…
                arguments(List.of(0, 0, 0, 0, 0, 0, 0, 1), "0.13"),     // 0.125 half-up (half-even would give 0.12)
                arguments(List.of(1, 1, 1, 1, 1, 0, 0, 0), "0.63"),     // 0.625 half-up (half-even would give 0.62)
                arguments(List.of(0, 0, 0, 0, 0, 0, 0, 0), "0.00"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("averages")
    void shouldRoundMeanHalfUpToTwoDecimalsWhenAveraging(List<Integer> values, String expected) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            events.add(score(AS_OF.minus(Duration.ofHours(i)), values.get(i)));
        }

        FamilyMetrics m = metrics(events);

        // isEqualTo on BigDecimal compares the scale too: "1.50", not "1.5"
        assertThat(m.engagement7DayAvg()).isEqualTo(new BigDecimal(expected));
        assertThat(m.engagement30DayAvg()).isEqualTo(new BigDecimal(expected));
    }

    static Stream<Arguments> monthRangeStart() {
        return Stream.of(
                arguments(Duration.ZERO, "40.00"),          // exactly as_of − 30d: outside
                arguments(Duration.ofMillis(1), "60.00"));  // (80 + 40) / 2
    }

    @ParameterizedTest(name = "old score at as_of - 30d + {0}")
    @MethodSource("monthRangeStart")
    void shouldCountScoreInMonthAverageOnlyWhenInsideHalfOpenRange(Duration offset, String avg30) {
        FamilyMetrics m = metrics(List.of(score(AS_OF.minus(MONTH).plus(offset), 80), score(AS_OF.minus(DAY), 40)));

        assertThat(m.engagement30DayAvg()).isEqualTo(new BigDecimal(avg30));
        assertThat(m.engagement7DayAvg()).isEqualTo(new BigDecimal("40.00"));
    }

    @Test
    void shouldLeaveWeekAverageNullWhenNoScoreInLastSevenDays() {
        FamilyMetrics m = metrics(List.of(score(AS_OF.minus(Duration.ofDays(10)), 25), of("UserLogin", AS_OF)));

        assertThat(m.engagement7DayAvg()).isNull();
        assertThat(m.engagement30DayAvg()).isEqualTo(new BigDecimal("25.00"));
    }

    @Test
    void shouldUseLatestScoreForLevelWhenItIsOlderThanSevenDays() {
        FamilyMetrics m = metrics(List.of(score(AS_OF.minus(Duration.ofDays(10)), 25)));

        assertThat(m.currentEngagementScore()).isEqualTo(25);
        assertThat(m.engagementChange7Days()).isZero();
        assertThat(m.alertLevel()).isEqualTo(AlertLevel.CRITICAL);
        assertThat(m.alertReason()).isEqualTo("score 25 < 30");
        assertThat(m.alertSince()).isEqualTo(AS_OF.minus(Duration.ofDays(10)));
    }

    @Test
    void shouldUseLatestScoreWhenItIsOlderThanThirtyDays() {
        FamilyMetrics m = metrics(List.of(score(AS_OF.minus(Duration.ofDays(31)), 45)));

        assertThat(m.currentEngagementScore()).isEqualTo(45);
        assertThat(m.engagement7DayAvg()).isNull();
        assertThat(m.engagement30DayAvg()).isNull();
        assertThat(m.alertLevel()).isEqualTo(AlertLevel.WARNING);
    }

    @Test
    void shouldHaveNoScoreFiguresWhenFamilyHasNoScore() {
        FamilyMetrics m = metrics(List.of(of("UserLogin", AS_OF.minus(DAY)), payment(AS_OF)));

        assertThat(m.currentEngagementScore()).isNull();
        assertThat(m.engagementTrend()).isEqualTo(Trend.STABLE);
        assertThat(m.engagementChange7Days()).isZero();
        assertThat(m.engagement7DayAvg()).isNull();
        assertThat(m.engagement30DayAvg()).isNull();
        assertThat(m.alertLevel()).isEqualTo(AlertLevel.NONE);
        assertThat(m.alertReason()).isNull();
        assertThat(m.alertSince()).isNull();
        assertThat(m.eventsLast7Days()).isEqualTo(2);
    }

    static Stream<Arguments> countRangeStart() {
        return Stream.of(
                arguments(Duration.ZERO, 2, 0, 1),       // the events at exactly as_of − 7d are out
                arguments(Duration.ofMillis(1), 5, 1, 2));
    }

    @ParameterizedTest(name = "edge events at as_of - 7d + {0}")
    @MethodSource("countRangeStart")
    void shouldCountEventsLoginsAndPaymentsOfLastSevenDaysWhenInsideHalfOpenRange(Duration offset, int events, int logins,
                                                                                  int payments) {
        Instant edge = AS_OF.minus(WEEK).plus(offset);
        List<Event> all = List.of(
                of("UserLogin", edge), payment(edge), of("EmailOpened", edge),
                of("UserLogout", AS_OF.minus(Duration.ofDays(8))),   // never in range
                payment(AS_OF), score(AS_OF, 80));

        FamilyMetrics m = metrics(all);

        assertThat(m.eventsLast7Days()).isEqualTo(events);
        assertThat(m.loginsLast7Days()).isEqualTo(logins);
        assertThat(m.paymentsLast7Days()).isEqualTo(payments);
    }

    @Test
    void shouldCountOnlyUserLoginAsLoginWhenOtherTypesArrive() {
        FamilyMetrics m = metrics(List.of(of("UserLogin", AS_OF), of("UserLogout", AS_OF), of("userlogin", AS_OF),
                of("PaymentOverdue", AS_OF), payment(AS_OF)));

        assertThat(m.eventsLast7Days()).isEqualTo(5);
        assertThat(m.loginsLast7Days()).isEqualTo(1);
        assertThat(m.paymentsLast7Days()).isEqualTo(1);
    }

    @Test
    void shouldUseOnlyLastSevenScoresWhenComputingTrend() {
        // all eight (0, then seven 50s) would give 175/42 ≈ 4.17, rising; the last seven are flat
        List<Event> events = new ArrayList<>();
        events.add(score(AS_OF.minus(Duration.ofDays(8)), 0));
        for (int i = 6; i >= 0; i--) {
            events.add(score(AS_OF.minus(Duration.ofDays(i)), 50));
        }

        FamilyMetrics m = metrics(events);

        assertThat(m.engagementTrend()).isEqualTo(new Trend("stable", 0.0));
    }

    @Test
    void shouldTrendOverScoresOlderThanRangeWhenTheyAreTheLastSeven() {
        // the last 7 scores by event time, whatever their age: 90, 88, …, 78 twenty days back, slope −2 -> stable;
        // one more at 70 makes the last seven 88..78, 70: (−264−172−84+0+80+156+210)/28 = −74/28 < −2
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(score(AS_OF.minus(Duration.ofDays(40 - i)), 90 - 2 * i));
        }
        assertThat(metrics(events).engagementTrend().direction()).isEqualTo("stable");

        events.add(score(AS_OF.minus(Duration.ofDays(20)), 70));
        FamilyMetrics m = metrics(events);

        assertThat(m.engagementTrend().direction()).isEqualTo("declining");
        assertThat(m.engagementTrend().slope()).isCloseTo(-74.0 / 28, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void shouldOrderTiesByEventIdWhenPickingLatestScore() {
        Event a = Events.score(FAMILY).at(AS_OF).score(90).id("a").build();
        Event b = Events.score(FAMILY).at(AS_OF).score(40).id("b").build();

        assertThat(metrics(List.of(b, a)).currentEngagementScore()).isEqualTo(40);

        Event a2 = Events.score(FAMILY).at(AS_OF).score(40).id("a").build();
        Event b2 = Events.score(FAMILY).at(AS_OF).score(90).id("b").build();
        assertThat(metrics(List.of(b2, a2)).currentEngagementScore()).isEqualTo(90);
        // change within one instant follows the same order: last (b) − first (a)
        assertThat(metrics(List.of(b2, a2)).engagementChange7Days()).isEqualTo(50);
    }

    @Test
    void shouldSetSinceToFirstScoreWhenLevelNeverChanged() {
        FamilyMetrics m = metrics(List.of(of("UserLogin", AS_OF.minus(Duration.ofDays(5))),
                score(AS_OF.minus(Duration.ofDays(4)), 85), score(AS_OF.minus(Duration.ofDays(2)), 80)));

        assertThat(m.alertLevel()).isEqualTo(AlertLevel.NONE);
        assertThat(m.alertReason()).isNull();
        assertThat(m.alertSince()).isEqualTo(AS_OF.minus(Duration.ofDays(4)));
    }

    @Test
    void shouldSetSinceToTimeCurrentLevelBeganWhenLevelChanged() {
        // 85 none, 60 watch (−25 is not < −25, score 60 < 70), 62 still watch (−23): since = the 60
        FamilyMetrics m = metrics(List.of(score(AS_OF.minus(Duration.ofDays(3)), 85), score(AS_OF.minus(Duration.ofDays(2)), 60),
                score(AS_OF.minus(DAY), 62)));

        assertThat(m.alertLevel()).isEqualTo(AlertLevel.WATCH);
        assertThat(m.alertReason()).isEqualTo("score 62 < 70; change_7d -23 < -10");
        assertThat(m.alertSince()).isEqualTo(AS_OF.minus(Duration.ofDays(2)));
    }

    @Test
    void shouldSetSinceToExpiryWhenScoreLeavingRangeChangedLevel() {
        // 90 at −9d, 45 at −8d: change −45 -> critical; at −2d the 90 leaves: [45] -> warning since then
        FamilyMetrics m = metrics(List.of(score(AS_OF.minus(Duration.ofDays(9)), 90), score(AS_OF.minus(Duration.ofDays(8)), 45)));

        assertThat(m.alertLevel()).isEqualTo(AlertLevel.WARNING);
        assertThat(m.alertReason()).isEqualTo("score 45 < 50");
        assertThat(m.alertSince()).isEqualTo(AS_OF.minus(Duration.ofDays(2)));
    }

    @Test
    void shouldPassCountsAndTimesThroughWhenViewing() {
        FamilyTimeline timeline = new FamilyTimeline(FAMILY);
        timeline.add(score(AS_OF.minus(DAY), 70));
        Instant last = AS_OF.minusSeconds(1);

        FamilyMetrics m = calculator.view(timeline, 42, last, List.of(), AlertHistory.Resume.NONE, AS_OF).metrics();

        assertThat(m.familyId()).isEqualTo(FAMILY);
        assertThat(m.eventsProcessed()).isEqualTo(42);
        assertThat(m.lastEventTimestamp()).isEqualTo(last);
        assertThat(m.asOf()).isEqualTo(AS_OF);
    }

    @Test
    void shouldIgnoreEventsAfterAsOfWhenViewingAnEarlierInstant() {
        List<Event> events = List.of(score(AS_OF.minus(DAY), 80), score(AS_OF.plus(DAY), 10), of("UserLogin", AS_OF.plus(DAY)));

        FamilyMetrics m = metrics(AS_OF, events);

        assertThat(m.currentEngagementScore()).isEqualTo(80);
        assertThat(m.alertLevel()).isEqualTo(AlertLevel.NONE);
        assertThat(m.eventsLast7Days()).isEqualTo(1);
    }

    @Test
    void shouldReturnHistoryMatchingMetricsWhenViewing() {
        FamilyTimeline timeline = new FamilyTimeline(FAMILY);
        timeline.add(score(AS_OF.minus(Duration.ofDays(2)), 80));
        timeline.add(score(AS_OF.minus(DAY), 20));

        FamilyMetricsCalculator.View view = calculator.view(timeline, 2, AS_OF.minus(DAY), List.of(), AlertHistory.Resume.NONE, AS_OF);

        assertThat(view.history().end().level()).isEqualTo(view.metrics().alertLevel());
        assertThat(view.history().steps()).hasSize(1);
        assertThat(view.metrics().alertReason()).isEqualTo("score 20 < 30; change_7d -60 < -40");
    }

    @Test
    void shouldGiveTheViewsMetricsWhenTheLevelIsTakenFromAWalkWithNothingNewToWalk() {
        // 80 two days ago, 40 a day ago: warning (score 40 < 50; change −40 < −25) since a day ago; a login now
        FamilyTimeline timeline = new FamilyTimeline(FAMILY);
        timeline.add(score(AS_OF.minus(Duration.ofDays(2)), 80));
        timeline.add(score(AS_OF.minus(DAY), 40));
        AlertHistory.Resume walked = calculator.view(timeline, 2, AS_OF.minus(DAY), List.of(), AlertHistory.Resume.NONE,
                AS_OF.minus(DAY)).history().end();
        timeline.add(of("UserLogin", AS_OF));

        FamilyMetrics fast = calculator.withLevelOf(timeline, 3, AS_OF, AlertHistory.Resume.NONE, walked, AS_OF,
                AS_OF.toEpochMilli());

        assertThat(fast).isEqualTo(calculator.view(timeline, 3, AS_OF, List.of(), walked, AS_OF).metrics());
        assertThat(fast.alertLevel()).isEqualTo(AlertLevel.WARNING);
        assertThat(fast.alertSince()).isEqualTo(AS_OF.minus(DAY));
        assertThat(fast.eventsLast7Days()).isEqualTo(3);
    }

    @Test
    void shouldCompleteTheTrendFromTheCarryWhenTheLevelIsTakenFromAWalk() {
        // carried 10, 20 (pruned) then 30 now: slope over 10, 20, 30 is 10 -> rising
        FamilyTimeline timeline = new FamilyTimeline(FAMILY);
        timeline.add(score(AS_OF.minus(DAY), 30));
        AlertHistory.Resume carry = new AlertHistory.Resume(AS_OF.minus(Duration.ofDays(40)), AlertLevel.NONE, null, null, 20,
                List.of(), List.of(10, 20));
        AlertHistory.Resume walked = calculator.view(timeline, 3, AS_OF.minus(DAY), carry.recentScores(), carry, AS_OF.minus(DAY))
                .history().end();

        FamilyMetrics fast = calculator.withLevelOf(timeline, 3, AS_OF.minus(DAY), carry, walked, AS_OF, AS_OF.toEpochMilli());

        assertThat(fast.engagementTrend()).isEqualTo(new Trend("rising", 10.0));
        assertThat(fast).isEqualTo(calculator.view(timeline, 3, AS_OF.minus(DAY), carry.recentScores(), walked, AS_OF).metrics());
    }

    // ---------------------------------------------------------------- risk (SPEC §3.7)

    @Test
    void shouldScoreRiskFromTheLiveFeaturesCountingOpenOverduesAndBouncesOverThirtyDays() {
        RiskModel model = new RiskModel("test-1", -2.0, List.of(
                new RiskModel.Term("current_score", 60, 20, -1.2),
                new RiskModel.Term("logins_7d", 3, 3, -0.4),
                new RiskModel.Term("open_overdue", 0, 1, 1.5),
                new RiskModel.Term("bounces_30d", 0, 2, 0.6)));
        FamilyMetricsCalculator scoring = new FamilyMetricsCalculator(EngagementRules.DEFAULTS, model);
        List<Event> events = List.of(
                of("PaymentOverdue", AS_OF.minus(Duration.ofDays(20))),   // paid after: closed
                payment(AS_OF.minus(Duration.ofDays(15))),
                of("PaymentOverdue", AS_OF.minus(Duration.ofDays(10))),   // open
                of("PaymentOverdue", AS_OF.minus(DAY)),                   // open
                of("PaymentOverdue", AS_OF.minus(MONTH)),                 // exactly 30 days: outside the range
                of("EmailBounced", AS_OF.minus(Duration.ofDays(29))),
                of("EmailBounced", AS_OF.minus(Duration.ofDays(31))),     // outside
                of("UserLogin", AS_OF.minus(DAY)),
                score(AS_OF.minus(DAY), 40));
        FamilyTimeline timeline = new FamilyTimeline(FAMILY);
        events.forEach(timeline::add);

        FamilyMetrics m = scoring.view(timeline, events.size(), AS_OF.minus(DAY), List.of(), AlertHistory.Resume.NONE, AS_OF).metrics();

        // current 40, logins 1, open overdue 2, bounces 1:
        // logit = -2 + (-1.2)(40 − 60)/20 + (-0.4)(1 − 3)/3 + 1.5·2 + 0.6·1/2 = -2 + 1.2 + 0.2667 + 3 + 0.3 = 2.7667
        assertThat(m.riskScore()).isEqualTo(new BigDecimal("0.9408"));          // 0.940847…
        assertThat(m.riskFactors()).containsExactly("open_overdue", "current_score", "bounces_30d");
        assertThat(m.modelVersion()).isEqualTo("test-1");
    }

    @Test
    void shouldCarryNoRiskWithoutAModel() {
        FamilyMetrics m = metrics(List.of(score(AS_OF, 40)));

        assertThat(m.riskScore()).isNull();
        assertThat(m.riskFactors()).isNull();
        assertThat(m.modelVersion()).isNull();
    }

    @Test
    void shouldGiveEachComputationOnlyItsOwnFiguresWhenOneCalculatorComputesFamilyAfterFamily() {
        // A busy family first: scores, logins, payments, an open overdue and bounces, all in range.
        List<Event> busy = new ArrayList<>();
        for (int d = 1; d <= 9; d++) {
            busy.add(score(AS_OF.minus(DAY.multipliedBy(d)), 20 + 7 * d));
            busy.add(of("UserLogin", AS_OF.minus(DAY.multipliedBy(d)).plusSeconds(60)));
        }
        busy.add(payment(AS_OF.minus(DAY.multipliedBy(2))));
        busy.add(of("PaymentOverdue", AS_OF.minus(DAY)));
        busy.add(of("EmailBounced", AS_OF.minus(DAY.multipliedBy(3))));
        FamilyMetrics first = metrics(busy);
        // Then a family with two scores and nothing else, computed by the same calculator and by a fresh one.
        List<Event> quiet = List.of(score(AS_OF.minus(DAY.multipliedBy(2)), 80), score(AS_OF.minusSeconds(60), 60));
        FamilyMetrics reused = metrics(quiet);
        FamilyTimeline timeline = new FamilyTimeline(FAMILY);
        quiet.forEach(timeline::add);
        FamilyMetrics fresh = new FamilyMetricsCalculator(EngagementRules.DEFAULTS)
                .view(timeline, quiet.size(), AS_OF.minusSeconds(60), List.of(), AlertHistory.Resume.NONE, AS_OF).metrics();

        assertThat(first.loginsLast7Days()).isPositive();
        assertThat(reused).isEqualTo(fresh);
        assertThat(reused.loginsLast7Days()).isZero();
        assertThat(reused.paymentsLast7Days()).isZero();
        assertThat(reused.eventsLast7Days()).isEqualTo(2);
        assertThat(reused.engagementTrend().direction()).isEqualTo("declining");
        assertThat(reused.engagement7DayAvg()).isEqualTo(new BigDecimal("70.00"));
    }
}
