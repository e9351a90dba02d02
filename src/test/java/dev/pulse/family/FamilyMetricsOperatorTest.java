package dev.pulse.family;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Family metrics of SPEC §3.1 with the §7 orderings: latest by (event_timestamp, event_id), range (as_of − 7d, as_of]. */
class FamilyMetricsOperatorTest {

    private static final String FAMILY = "family-1";
    private static final Instant AS_OF = Instant.parse("2026-11-23T09:10:00Z");

    private final FamilyMetricsOperator operator = new FamilyMetricsOperator(AlertThresholds.DEFAULTS);

    // ---------------------------------------------------------------- latest score

    @Test
    void shouldTakeLatestScoreByEventTimeWhenEventsArriveOutOfOrder() {
        Event later = Events.score(FAMILY).id("e-later").at("10:00:00Z").score(80).build();
        Event earlier = Events.score(FAMILY).id("e-earlier").at("09:00:00Z").score(20).build();

        FamilyState state = fold(later, earlier);

        assertThat(metrics(state).currentEngagementScore()).isEqualTo(80);
        assertThat(state.latestScore()).isEqualTo(new ScoreObservation(Instant.parse("2026-11-23T10:00:00Z"), "e-later", 80));
    }

    @Test
    void shouldTakeLatestScoreWhenEventsArriveInOrder() {
        FamilyState state = fold(
                Events.score(FAMILY).id("e1").at("08:00:00Z").score(90).build(),
                Events.score(FAMILY).id("e2").at("09:00:00Z").score(60).build(),
                Events.score(FAMILY).id("e3").at("10:00:00Z").score(25).build());

        assertThat(metrics(state).currentEngagementScore()).isEqualTo(25);
    }

    static Stream<Arguments> tiedScores() {
        Event a = Events.score(FAMILY).id("e-a").at("09:10:00Z").score(10).build();
        Event b = Events.score(FAMILY).id("e-b").at("09:10:00Z").score(90).build();
        return Stream.of(arguments("a then b", List.of(a, b)), arguments("b then a", List.of(b, a)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiedScores")
    void shouldBreakTieByEventIdWhenScoresShareTimestamp(String order, List<Event> events) {
        FamilyState state = fold(events.toArray(Event[]::new));

        // (event_timestamp, event_id) order: "e-b" > "e-a", so e-b is the latest
        assertThat(metrics(state).currentEngagementScore()).isEqualTo(90);
        assertThat(state.latestScore().eventId()).isEqualTo("e-b");
    }

    @Test
    void shouldCompareEventIdsAsStringsWhenBreakingTie() {
        // string order: "e10" < "e9"
        Event e9 = Events.score(FAMILY).id("e9").score(30).build();
        Event e10 = Events.score(FAMILY).id("e10").score(70).build();

        assertThat(metrics(fold(e9, e10)).currentEngagementScore()).isEqualTo(30);
        assertThat(metrics(fold(e10, e9)).currentEngagementScore()).isEqualTo(30);
    }

    @Test
    void shouldKeepScoreWhenLaterEventIsNotAScore() {
        FamilyState state = fold(
                Events.score(FAMILY).id("e1").at("08:00:00Z").score(45).build(),
                Events.login(FAMILY).id("e2").at("10:00:00Z").build(),
                Events.payment(FAMILY).id("e3").at("11:00:00Z").build());

        assertThat(metrics(state).currentEngagementScore()).isEqualTo(45);
    }

    @Test
    void shouldHaveNoScoreWhenFamilyHasNoScoreEvents() {
        FamilyState state = fold(Events.login(FAMILY).id("e1").build(), Events.of("Custom.Thing_1", FAMILY).id("e2").build());

        FamilyMetrics metrics = metrics(state);

        assertThat(metrics.currentEngagementScore()).isNull();
        assertThat(metrics.alertLevel()).isEqualTo(AlertLevel.NONE);
        assertThat(metrics.alertReason()).isNull();
    }

    // ---------------------------------------------------------------- counts and maxima

    @Test
    void shouldCountEveryEventWhenEventsAreOfAnyType() {
        FamilyState state = fold(
                Events.score(FAMILY).id("e1").build(),
                Events.login(FAMILY).id("e2").build(),
                Events.payment(FAMILY).id("e3").build(),
                Events.of("Custom.Thing_1", FAMILY).id("e4").at("2026-01-01T00:00:00Z").build());

        assertThat(metrics(state).eventsProcessed()).isEqualTo(4);
    }

    @Test
    void shouldTakeMaximumWhenLastEventTimestampArrivesOutOfOrder() {
        FamilyState state = fold(
                Events.login(FAMILY).id("e1").at("09:00:00Z").build(),
                Events.login(FAMILY).id("e2").at("09:05:00.001Z").build(),
                Events.login(FAMILY).id("e3").at("08:00:00Z").build(),
                Events.login(FAMILY).id("e4").at("2026-11-20T00:00:00Z").build());

        assertThat(metrics(state).lastEventTimestamp()).isEqualTo(Instant.parse("2026-11-23T09:05:00.001Z"));
    }

    @Test
    void shouldReportNothingWhenStateIsEmpty() {
        FamilyMetrics metrics = operator.metrics(FamilyState.empty(FAMILY), AS_OF);

        assertThat(metrics).isEqualTo(new FamilyMetrics(FAMILY, null, 0, null, 0, AlertLevel.NONE, null, AS_OF));
    }

    @Test
    void shouldReportFamilyAndAsOfWhenReadingMetrics() {
        FamilyState state = fold(Events.score(FAMILY).id("e1").score(25).build());

        FamilyMetrics metrics = operator.metrics(state, AS_OF.plusSeconds(5));

        assertThat(metrics.familyId()).isEqualTo(FAMILY);
        assertThat(metrics.asOf()).isEqualTo(AS_OF.plusSeconds(5));
    }

    @Test
    void shouldLeaveInputStateUnchangedWhenApplyingEvent() {
        FamilyState before = fold(Events.score(FAMILY).id("e1").at("08:00:00Z").score(60).build());
        FamilyState copy = new FamilyState(before.familyId(), before.latestScore(), before.eventsProcessed(),
                before.lastEventTimestamp(), before.recentEventTimesMs());

        FamilyState after = operator.apply(before, Events.score(FAMILY).id("e2").at("09:00:00Z").score(20).build(), AS_OF);

        assertThat(before).isEqualTo(copy);
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void shouldRefuseEventWhenItBelongsToAnotherFamily() {
        Event other = Events.login("family-2").id("e1").build();

        assertThatThrownBy(() -> operator.apply(FamilyState.empty(FAMILY), other, AS_OF))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("family-2")
                .hasMessageContaining(FAMILY);
    }

    // ---------------------------------------------------------------- events_last_7_days: (as_of − 7d, as_of]

    static Stream<Arguments> rangeEdges() {
        Duration week = Duration.ofDays(7);
        return Stream.of(
                arguments("exactly as_of", Duration.ZERO, 1),
                arguments("1 ms before as_of", Duration.ofMillis(1), 1),
                arguments("6 days before", Duration.ofDays(6), 1),
                arguments("7d - 1 ms before", week.minusMillis(1), 1),
                arguments("exactly 7d before", week, 0),
                arguments("7d + 1 ms before", week.plusMillis(1), 0),
                arguments("30 days before", Duration.ofDays(30), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rangeEdges")
    void shouldCountEventWhenItIsInsideHalfOpenRange(String label, Duration beforeAsOf, int counted) {
        FamilyState state = operator.apply(FamilyState.empty(FAMILY),
                Events.login(FAMILY).id("e1").at(AS_OF.minus(beforeAsOf)).build(), AS_OF);

        assertThat(operator.metrics(state, AS_OF).eventsLast7Days()).isEqualTo(counted);
    }

    @Test
    void shouldCountEdgesExactlyWhenBothEdgesArePresent() {
        Instant from = AS_OF.minus(Duration.ofDays(7));
        FamilyState state = FamilyState.empty(FAMILY);
        state = operator.apply(state, Events.login(FAMILY).id("at-edge").at(from).build(), AS_OF);
        state = operator.apply(state, Events.login(FAMILY).id("1ms-in").at(from.plusMillis(1)).build(), AS_OF);
        state = operator.apply(state, Events.login(FAMILY).id("at-as-of").at(AS_OF).build(), AS_OF);

        FamilyMetrics metrics = operator.metrics(state, AS_OF);

        assertThat(metrics.eventsLast7Days()).isEqualTo(2);
        assertThat(metrics.eventsProcessed()).isEqualTo(3);
    }

    @Test
    void shouldNotCountEventWhenItIsAfterAsOf() {
        FamilyState state = operator.apply(FamilyState.empty(FAMILY),
                Events.login(FAMILY).id("e1").at(AS_OF.plusMillis(1)).build(), AS_OF.plusMillis(1));

        assertThat(operator.metrics(state, AS_OF).eventsLast7Days()).isZero();
        assertThat(operator.metrics(state, AS_OF.plusMillis(1)).eventsLast7Days()).isEqualTo(1);
    }

    @Test
    void shouldDropEventFromRangeWhenAsOfMovesPastIt() {
        Instant t = Instant.parse("2026-11-16T09:10:00Z");
        FamilyState state = operator.apply(FamilyState.empty(FAMILY), Events.login(FAMILY).id("e1").at(t).build(), t);

        assertThat(operator.metrics(state, t.plus(Duration.ofDays(7)).minusMillis(1)).eventsLast7Days()).isEqualTo(1);
        assertThat(operator.metrics(state, t.plus(Duration.ofDays(7))).eventsLast7Days()).isZero();
    }

    @Test
    void shouldCountEveryEventWhenSeveralShareOneMillisecond() {
        FamilyState state = FamilyState.empty(FAMILY);
        for (int i = 0; i < 5; i++) {
            state = operator.apply(state, Events.login(FAMILY).id("e" + i).at(AS_OF).build(), AS_OF);
        }

        assertThat(operator.metrics(state, AS_OF).eventsLast7Days()).isEqualTo(5);
        assertThat(state.recentEventTimesMs()).hasSize(5);
    }

    @Test
    void shouldForgetTimesWhenTheyCanNeverReenterRange() {
        Instant from = AS_OF.minus(Duration.ofDays(7));
        FamilyState state = FamilyState.empty(FAMILY);
        state = operator.apply(state, Events.login(FAMILY).id("old").at(from.minus(Duration.ofDays(1))).build(), AS_OF);
        state = operator.apply(state, Events.login(FAMILY).id("edge").at(from).build(), AS_OF);
        state = operator.apply(state, Events.login(FAMILY).id("in").at(from.plusMillis(1)).build(), AS_OF);

        assertThat(state.recentEventTimesMs()).containsExactly(from.plusMillis(1).toEpochMilli());
        assertThat(state.eventsProcessed()).isEqualTo(3);
    }

    @Test
    void shouldKeepTimesSortedWhenEventsArriveOutOfOrder() {
        FamilyState state = fold(
                Events.login(FAMILY).id("e1").at("09:00:00Z").build(),
                Events.login(FAMILY).id("e2").at("07:00:00Z").build(),
                Events.login(FAMILY).id("e3").at("08:00:00Z").build(),
                Events.login(FAMILY).id("e4").at("07:00:00Z").build());

        long[] times = state.recentEventTimesMs();
        assertThat(times).isSorted().hasSize(4);
    }

    // ---------------------------------------------------------------- alert level

    static Stream<Arguments> alertLevels() {
        return Stream.of(
                arguments(0, AlertLevel.CRITICAL, "score 0 < 30"),
                arguments(25, AlertLevel.CRITICAL, "score 25 < 30"),
                arguments(29, AlertLevel.CRITICAL, "score 29 < 30"),
                arguments(30, AlertLevel.WARNING, "score 30 < 50"),
                arguments(49, AlertLevel.WARNING, "score 49 < 50"),
                arguments(50, AlertLevel.WATCH, "score 50 < 70"),
                arguments(69, AlertLevel.WATCH, "score 69 < 70"),
                arguments(70, AlertLevel.NONE, null),
                arguments(100, AlertLevel.NONE, null));
    }

    @ParameterizedTest(name = "score {0} -> {1}")
    @MethodSource("alertLevels")
    void shouldSetAlertLevelWhenLatestScoreCrossesThreshold(int score, AlertLevel level, String reason) {
        FamilyState state = fold(
                Events.score(FAMILY).id("e0").at("08:00:00Z").score(score < 50 ? 95 : 5).build(),
                Events.score(FAMILY).id("e1").at("09:00:00Z").score(score).build());

        FamilyMetrics metrics = metrics(state);

        assertThat(metrics.alertLevel()).isEqualTo(level);
        assertThat(metrics.alertReason()).isEqualTo(reason);
    }

    @ParameterizedTest(name = "score {0} -> {1}")
    @MethodSource("alertLevels")
    void shouldMapScoreToLevelAndReasonWhenUsingDefaultThresholds(int score, AlertLevel level, String reason) {
        assertThat(AlertThresholds.DEFAULTS.levelOf(score)).isEqualTo(level);
        assertThat(AlertThresholds.DEFAULTS.reasonOf(score)).isEqualTo(reason);
    }

    @Test
    void shouldReportNoneWhenScoreIsNull() {
        assertThat(AlertThresholds.DEFAULTS.levelOf(null)).isEqualTo(AlertLevel.NONE);
        assertThat(AlertThresholds.DEFAULTS.reasonOf(null)).isNull();
    }

    @Test
    void shouldUseLatestScoreWhenItIsOlderThanSevenDays() {
        // §7: the level uses the latest score even if it is older than 7 days
        Instant old = AS_OF.minus(Duration.ofDays(20));
        FamilyState state = operator.apply(FamilyState.empty(FAMILY),
                Events.score(FAMILY).id("e1").at(old).score(25).build(), AS_OF);

        FamilyMetrics metrics = operator.metrics(state, AS_OF);

        assertThat(metrics.currentEngagementScore()).isEqualTo(25);
        assertThat(metrics.alertLevel()).isEqualTo(AlertLevel.CRITICAL);
        assertThat(metrics.eventsLast7Days()).isZero();
    }

    @ParameterizedTest(name = "score {0}")
    @ValueSource(ints = {9, 10, 19, 20, 29, 30})
    void shouldApplyConfiguredThresholdsWhenTheyAreNotDefaults(int score) {
        FamilyMetricsOperator custom = new FamilyMetricsOperator(new AlertThresholds(10, 20, 30));
        FamilyState state = custom.apply(FamilyState.empty(FAMILY), Events.score(FAMILY).id("e1").score(score).build(), AS_OF);

        FamilyMetrics metrics = custom.metrics(state, AS_OF);

        AlertLevel expected = score < 10 ? AlertLevel.CRITICAL : score < 20 ? AlertLevel.WARNING : score < 30 ? AlertLevel.WATCH : AlertLevel.NONE;
        assertThat(metrics.alertLevel()).isEqualTo(expected);
        if (expected != AlertLevel.NONE) {
            assertThat(metrics.alertReason()).isEqualTo("score " + score + " < " + (score < 10 ? 10 : score < 20 ? 20 : 30));
        }
    }

    @Test
    void shouldRefuseThresholdsWhenTheyAreNotAscending() {
        assertThatThrownBy(() -> new AlertThresholds(50, 30, 70)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AlertThresholds(30, 70, 50)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRankLevelsBySeverity() {
        assertThat(AlertLevel.CRITICAL.rank()).isGreaterThan(AlertLevel.WARNING.rank());
        assertThat(AlertLevel.WARNING.rank()).isGreaterThan(AlertLevel.WATCH.rank());
        assertThat(AlertLevel.WATCH.rank()).isGreaterThan(AlertLevel.NONE.rank());
        assertThat(AlertLevel.fromWireName("critical")).contains(AlertLevel.CRITICAL);
        assertThat(AlertLevel.fromWireName("CRITICAL")).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    /** Applies events in the given order, each against the stream time (max event time) as it stands after it. */
    private FamilyState fold(Event... events) {
        FamilyState state = FamilyState.empty(FAMILY);
        Instant streamTime = Instant.MIN;
        List<Event> list = new ArrayList<>(List.of(events));
        for (Event event : list) {
            streamTime = event.eventTimestamp().isAfter(streamTime) ? event.eventTimestamp() : streamTime;
            state = operator.apply(state, event, streamTime);
        }
        return state;
    }

    private FamilyMetrics metrics(FamilyState state) {
        return operator.metrics(state, AS_OF);
    }
}
