package dev.pulse.family;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The level history of SPEC §3.1 and §7: changes at score events and at expiries (a score leaving
 * {@code (t − 7d, t]}), expiries before events at one instant, events of one instant in event-id order,
 * each counting. Every expectation below is worked out by hand in the comments.
 */
class AlertHistoryTest {

    private static final String FAMILY = "family-1";
    private static final Instant DAY0 = Instant.parse("2026-11-01T09:00:00Z");

    private final AlertHistory history = new AlertHistory(EngagementRules.DEFAULTS);

    private static Instant day(int n) {
        return DAY0.plus(Duration.ofDays(n));
    }

    private static Event score(String id, Instant at, int value) {
        return Events.score(FAMILY).at(at).score(value).id(id).build();
    }

    /** (at, from, to, reason, anchor) of every step. */
    private static List<Tuple> steps(AlertHistory.Result result) {
        return result.steps().stream().map(s -> tuple(s.at(), s.from(), s.to(), s.reason(), s.anchor())).toList();
    }

    /** The seed scenario: 80 falling to 20 over two weeks, one score a day at 09:00. */
    static List<Event> fallingScores() {
        int[] values = {80, 76, 72, 68, 64, 60, 56, 52, 48, 44, 40, 36, 32, 26, 20};
        return java.util.stream.IntStream.range(0, values.length).mapToObj(d -> score("s" + d, day(d), values[d])).toList();
    }

    @Test
    void shouldRiseThroughEveryLevelWhenScoreFallsFrom80To20OverTwoWeeks() {
        // In range at day d (the score of d−7 left at that very instant): days max(0, d−6)..d, so the
        // change is −4·min(d, 6) until day 12 and −26, −28 on days 13 and 14.
        // d3: 68, −12 -> watch; d8: 48 (−24) -> warning by score only; d13: 26 -> critical by score only.
        AlertHistory.Result result = history.walk(fallingScores(), day(14), AlertHistory.Resume.NONE);

        assertThat(steps(result)).containsExactly(
                tuple(day(3), AlertLevel.NONE, AlertLevel.WATCH, "score 68 < 70; change_7d -12 < -10", "s3"),
                tuple(day(8), AlertLevel.WATCH, AlertLevel.WARNING, "score 48 < 50", "s8"),
                tuple(day(13), AlertLevel.WARNING, AlertLevel.CRITICAL, "score 26 < 30", "s13"));
        assertThat(result.steps()).allMatch(AlertHistory.Step::rose);
        assertThat(result.end().level()).isEqualTo(AlertLevel.CRITICAL);
        assertThat(result.end().reason()).isEqualTo("score 20 < 30");
        assertThat(result.end().since()).isEqualTo(day(13));
        assertThat(result.end().latestScore()).isEqualTo(20);
    }

    @Test
    void shouldMatchOnlyTheRisingEventWhenScoreCausesStep() {
        AlertHistory.Result result = history.walk(fallingScores(), day(14), AlertHistory.Resume.NONE);

        assertThat(result.steps()).extracting(s -> s.cause().eventId()).containsExactly("s3", "s8", "s13");
    }

    @Test
    void shouldApplyExpiryBeforeEventWhenTheyShareAnInstant() {
        // a(d0)=80, b(d6)=50: change −30 -> warning by change. At d7 09:00 a leaves the range first:
        // [b] change 0, latest 50 -> watch (a fall, caused by the expiry); then c=45 arrives at the same
        // instant: [b, c] change −5, latest 45 -> warning again. Had c come first, [a, b, c] = −35 would
        // have kept warning and there would be no step at d7 at all.
        List<Event> scores = List.of(score("a", day(0), 80), score("b", day(6), 50), score("c", day(7), 45));

        AlertHistory.Result result = history.walk(scores, day(7), AlertHistory.Resume.NONE);

        assertThat(steps(result)).containsExactly(
                tuple(day(6), AlertLevel.NONE, AlertLevel.WARNING, "change_7d -30 < -25", "b"),
                tuple(day(7), AlertLevel.WARNING, AlertLevel.WATCH, "score 50 < 70", "expiry:2026-11-08T09:00:00Z"),
                tuple(day(7), AlertLevel.WATCH, AlertLevel.WARNING, "score 45 < 50", "c"));
        assertThat(result.steps().get(1).cause()).isNull();
        assertThat(result.steps().get(1).scoresInRange()).extracting(Event::eventId).containsExactly("b");
        assertThat(result.end().level()).isEqualTo(AlertLevel.WARNING);
        assertThat(result.end().since()).isEqualTo(day(7));
    }

    @Test
    void shouldApplyEventsOfOneInstantInEventIdOrderWhenTimesTie() {
        // p=80 an hour earlier. At 09:00 "s10" sorts before "s9" (string order):
        // s10=25: change −55 -> critical (both conditions); s9=60: change −20 -> watch.
        Instant t = day(0);
        List<Event> scores = List.of(score("p", t.minus(Duration.ofHours(1)), 80), score("s10", t, 25), score("s9", t, 60));

        AlertHistory.Result result = history.walk(scores, t, AlertHistory.Resume.NONE);

        assertThat(steps(result)).containsExactly(
                tuple(t, AlertLevel.NONE, AlertLevel.CRITICAL, "score 25 < 30; change_7d -55 < -40", "s10"),
                tuple(t, AlertLevel.CRITICAL, AlertLevel.WATCH, "score 60 < 70; change_7d -20 < -10", "s9"));
        assertThat(result.end().level()).isEqualTo(AlertLevel.WATCH);
        assertThat(result.end().latestScore()).isEqualTo(60);
        assertThat(result.end().since()).isEqualTo(t);
    }

    @Test
    void shouldRecordIntermediateRiseWhenTwoScoresShareAnInstant() {
        // p=80; at 09:00 "a1"=60 (change −20 -> watch) then "a2"=25 (critical): both rises are steps.
        Instant t = day(0);
        List<Event> scores = List.of(score("p", t.minus(Duration.ofMinutes(1)), 80), score("a1", t, 60), score("a2", t, 25));

        AlertHistory.Result result = history.walk(scores, t, AlertHistory.Resume.NONE);

        assertThat(steps(result)).containsExactly(
                tuple(t, AlertLevel.NONE, AlertLevel.WATCH, "score 60 < 70; change_7d -20 < -10", "a1"),
                tuple(t, AlertLevel.WATCH, AlertLevel.CRITICAL, "score 25 < 30; change_7d -55 < -40", "a2"));
        assertThat(result.steps()).allMatch(AlertHistory.Step::rose);
    }

    /** a(d0)=30, b(d1)=90, c(d2)=50: the level rises when a, a low first score, leaves the range. */
    static List<Event> riseByExpiry() {
        return List.of(score("a", day(0), 30), score("b", day(1), 90), score("c", day(2), 50));
    }

    @Test
    void shouldAnchorAtExpiryWhenScoreLeavingRangeRaisesLevel() {
        // d0 a=30 -> warning (score); d1 [a,b] +60, 90 -> none; d2 [a,b,c] +20, 50 -> watch (score);
        // d7 a leaves: [b,c] −40 -> warning (change); d8 b leaves: [c] 0 -> watch; d9 c leaves: still watch.
        AlertHistory.Result result = history.walk(riseByExpiry(), day(10), AlertHistory.Resume.NONE);

        assertThat(steps(result)).containsExactly(
                tuple(day(0), AlertLevel.NONE, AlertLevel.WARNING, "score 30 < 50", "a"),
                tuple(day(1), AlertLevel.WARNING, AlertLevel.NONE, null, "b"),
                tuple(day(2), AlertLevel.NONE, AlertLevel.WATCH, "score 50 < 70", "c"),
                tuple(day(7), AlertLevel.WATCH, AlertLevel.WARNING, "change_7d -40 < -25", "expiry:2026-11-08T09:00:00Z"),
                tuple(day(8), AlertLevel.WARNING, AlertLevel.WATCH, "score 50 < 70", "expiry:2026-11-09T09:00:00Z"));
        AlertHistory.Step rise = result.steps().get(3);
        assertThat(rise.rose()).isTrue();
        assertThat(rise.cause()).isNull();
        assertThat(rise.scoresInRange()).extracting(Event::eventId).containsExactly("b", "c");
        assertThat(result.end().level()).isEqualTo(AlertLevel.WATCH);
        assertThat(result.end().reason()).isEqualTo("score 50 < 70");
        assertThat(result.end().since()).isEqualTo(day(8));
    }

    static Stream<Arguments> asOfAroundExpiry() {
        return Stream.of(
                arguments(day(7).minusMillis(1), AlertLevel.WATCH, day(2), 3),
                arguments(day(7), AlertLevel.WARNING, day(7), 4));
    }

    @ParameterizedTest(name = "as of {0}")
    @MethodSource("asOfAroundExpiry")
    void shouldApplyExpiryOnlyWhenAsOfReachesIt(Instant asOf, AlertLevel level, Instant since, int steps) {
        AlertHistory.Result result = history.walk(riseByExpiry(), asOf, AlertHistory.Resume.NONE);

        assertThat(result.end().level()).isEqualTo(level);
        assertThat(result.end().since()).isEqualTo(since);
        assertThat(result.steps()).hasSize(steps);
    }

    @Test
    void shouldIgnoreScoresAfterAsOfWhenWalking() {
        List<Event> scores = List.of(score("a", day(0), 80), score("b", day(2), 20));

        AlertHistory.Result result = history.walk(scores, day(1), AlertHistory.Resume.NONE);

        assertThat(result.steps()).isEmpty();
        assertThat(result.end().level()).isEqualTo(AlertLevel.NONE);
        assertThat(result.end().latestScore()).isEqualTo(80);
    }

    @Test
    void shouldSetSinceToFirstScoreWhenLevelNeverChanged() {
        List<Event> scores = List.of(score("a", day(0), 80), score("b", day(1), 85), score("c", day(2), 90));

        AlertHistory.Result result = history.walk(scores, day(20), AlertHistory.Resume.NONE);

        assertThat(result.steps()).isEmpty();
        assertThat(result.end().level()).isEqualTo(AlertLevel.NONE);
        assertThat(result.end().reason()).isNull();
        assertThat(result.end().since()).isEqualTo(day(0));
    }

    @Test
    void shouldSetSinceToFirstScoreWhenFirstScoreIsAlreadyCritical() {
        AlertHistory.Result result = history.walk(List.of(score("a", day(0), 10)), day(3), AlertHistory.Resume.NONE);

        assertThat(steps(result)).containsExactly(tuple(day(0), AlertLevel.NONE, AlertLevel.CRITICAL, "score 10 < 30", "a"));
        assertThat(result.end().since()).isEqualTo(day(0));
    }

    @Test
    void shouldKeepLevelFromLatestScoreWhenItIsOlderThanSevenDays() {
        // the level uses the latest score even when it left the range; its expiry changes nothing
        AlertHistory.Result result = history.walk(List.of(score("a", day(0), 25)), day(20), AlertHistory.Resume.NONE);

        assertThat(result.end().level()).isEqualTo(AlertLevel.CRITICAL);
        assertThat(result.end().reason()).isEqualTo("score 25 < 30");
        assertThat(result.end().since()).isEqualTo(day(0));
    }

    @Test
    void shouldSetSinceToReturnWhenLevelFallsBack() {
        // a=80 none, b=60 watch (−20), c=85 back to none: since is c's time, not a's
        List<Event> scores = List.of(score("a", day(0), 80), score("b", day(1), 60), score("c", day(2), 85));

        AlertHistory.Result result = history.walk(scores, day(3), AlertHistory.Resume.NONE);

        assertThat(result.end().level()).isEqualTo(AlertLevel.NONE);
        assertThat(result.end().since()).isEqualTo(day(2));
        assertThat(result.steps()).extracting(AlertHistory.Step::rose).containsExactly(true, false);
    }

    @Test
    void shouldBeNoneWithoutSinceWhenFamilyHasNoScores() {
        AlertHistory.Result result = history.walk(List.of(), day(3), AlertHistory.Resume.NONE);

        assertThat(result.steps()).isEmpty();
        assertThat(result.end()).isEqualTo(new AlertHistory.Resume(day(3), AlertLevel.NONE, null, null, null, List.of(), List.of()));
    }

    @Test
    void shouldContinueFromResumeWhenScoresFollowIt() {
        // resumed at d0: warning since d0, latest 45 (w, still in range). w leaves at d7 (no change: 45 is
        // still the latest score); d10 x=25 -> critical
        Event w = score("w", day(0), 45);
        AlertHistory.Resume from = new AlertHistory.Resume(day(0), AlertLevel.WARNING, "score 45 < 50", day(0), 45, List.of(w), List.of());
        Event x = score("x", day(10), 25);

        AlertHistory.Result result = history.walk(List.of(w, x), day(10), from);

        assertThat(steps(result)).containsExactly(tuple(day(10), AlertLevel.WARNING, AlertLevel.CRITICAL, "score 25 < 30", "x"));
        assertThat(result.end()).isEqualTo(new AlertHistory.Resume(day(10), AlertLevel.CRITICAL, "score 25 < 30", day(10), 25, List.of(x), List.of(25)));
    }

    @Test
    void shouldKeepResumedLevelAndSinceWhenNoScoresFollow() {
        AlertHistory.Resume from = new AlertHistory.Resume(day(0), AlertLevel.WARNING, "score 45 < 50", day(0), 45, List.of(), List.of());

        AlertHistory.Result result = history.walk(List.of(), day(10), from);

        assertThat(result.steps()).isEmpty();
        assertThat(result.end()).isEqualTo(new AlertHistory.Resume(day(10), AlertLevel.WARNING, "score 45 < 50", day(0), 45, List.of(), List.of()));
    }

    @Test
    void shouldApplyExpiryOfResumedScoreWhenItLeavesAfterResumePoint() {
        // resumed at d3 with a=90 (d0) and b=45 (d1) in range: critical by change. a leaves at d7 -> warning.
        Event a = score("a", day(0), 90);
        Event b = score("b", day(1), 45);
        AlertHistory.Resume from = history.walk(List.of(a, b), day(3), AlertHistory.Resume.NONE).end();
        assertThat(from.level()).isEqualTo(AlertLevel.CRITICAL);

        AlertHistory.Result result = history.walk(List.of(), day(10), from);

        assertThat(steps(result)).containsExactly(
                tuple(day(7), AlertLevel.CRITICAL, AlertLevel.WARNING, "score 45 < 50", "expiry:2026-11-08T09:00:00Z"));
        assertThat(result.end().since()).isEqualTo(day(7));
        assertThat(result.end().inRange()).isEmpty();
    }

    static Stream<Arguments> splits() {
        List<Arguments> cases = new java.util.ArrayList<>();
        List<List<Event>> scenarios = List.of(fallingScores(), riseByExpiry(),
                List.of(score("a", day(0), 80), score("b", day(6), 50), score("c", day(7), 45)));
        for (List<Event> scores : scenarios) {
            Instant asOf = scores.get(scores.size() - 1).eventTimestamp().plus(Duration.ofDays(9));
            java.util.Set<Instant> at = new java.util.TreeSet<>();
            for (Event e : scores) {
                for (Instant t : List.of(e.eventTimestamp(), e.eventTimestamp().plus(Duration.ofDays(7)))) {
                    at.add(t.minusMillis(1));
                    at.add(t);
                    at.add(t.plusMillis(1));
                }
            }
            at.stream().filter(t -> t.isBefore(asOf)).forEach(t -> cases.add(arguments(scores, t, asOf)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{index}: split at {1}")
    @MethodSource("splits")
    void shouldGiveSameHistoryWhenWalkIsResumedAtAnyInstant(List<Event> scores, Instant split, Instant asOf) {
        AlertHistory.Result whole = history.walk(scores, asOf, AlertHistory.Resume.NONE);

        AlertHistory.Result first = history.walk(scores, split, AlertHistory.Resume.NONE);
        AlertHistory.Result second = history.walk(scores, asOf, first.end());

        List<AlertHistory.Step> steps = new java.util.ArrayList<>(first.steps());
        steps.addAll(second.steps());
        assertThat(steps).isEqualTo(whole.steps());
        assertThat(second.end()).isEqualTo(whole.end());
    }

    @Test
    void shouldGiveSameHistoryWhenOneInstantHoldsTwoExpiries() {
        // x and y both at d0 leave together at d7: one expiry point, not two steps
        List<Event> scores = List.of(score("x", day(0), 90), score("y", day(0), 85), score("z", day(1), 55));

        AlertHistory.Result result = history.walk(scores, day(9), AlertHistory.Resume.NONE);

        // d1: [x,y,z] 55−90 = −35 -> warning (change); d7: [z] 0, 55 -> watch; d8: z leaves, watch stays
        assertThat(steps(result)).containsExactly(
                tuple(day(1), AlertLevel.NONE, AlertLevel.WARNING, "change_7d -35 < -25", "z"),
                tuple(day(7), AlertLevel.WARNING, AlertLevel.WATCH, "score 55 < 70", "expiry:2026-11-08T09:00:00Z"));
    }

    // ---------------------------------------------------------------- the walk's first expiry, a moved walk

    @Test
    void shouldAnswerWhenTheFirstScoreInRangeLeavesWhenScoresAreInRange() {
        // s0 at day 0 09:00 and s1 at day 1: in range at day 2, s0 leaves first, at day 7 09:00
        AlertHistory.Resume end = history.walk(List.of(score("s0", day(0), 80), score("s1", day(1), 60)), day(2),
                AlertHistory.Resume.NONE).end();

        assertThat(history.firstLeavesMillis(end)).isEqualTo(day(7).toEpochMilli());
    }

    @Test
    void shouldAnswerNeverWhenNoScoreIsInRange() {
        assertThat(history.firstLeavesMillis(AlertHistory.Resume.NONE)).isEqualTo(Long.MAX_VALUE);
        // s0 left at day 7: nothing in range at day 8
        AlertHistory.Resume end = history.walk(List.of(score("s0", day(0), 80)), day(8), AlertHistory.Resume.NONE).end();
        assertThat(end.inRange()).isEmpty();
        assertThat(history.firstLeavesMillis(end)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldWalkFromAMovedResumeAsFromTheWalkAtThatInstantWhenNothingLiesBetween() {
        List<Event> scores = List.of(score("s0", day(0), 80), score("s1", day(1), 40));
        AlertHistory.Resume atDay1 = history.walk(scores, day(1), AlertHistory.Resume.NONE).end();
        AlertHistory.Resume atDay3 = history.walk(List.of(), day(3), atDay1).end();
        Event late = score("s2", day(4), 20);

        AlertHistory.Result fromMoved = history.walk(List.of(late), day(5), atDay1.movedTo(day(3)));

        assertThat(atDay1.movedTo(day(3))).isEqualTo(atDay3);
        assertThat(fromMoved).isEqualTo(history.walk(List.of(late), day(5), atDay3));
    }
}
