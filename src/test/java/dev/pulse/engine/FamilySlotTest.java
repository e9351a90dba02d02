package dev.pulse.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.event.Events;
import dev.pulse.family.AlertHistory;
import dev.pulse.family.AlertLevel;
import dev.pulse.family.EngagementRules;
import dev.pulse.rules.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * A family's level walk between computations: when the next one continues it, when it has nothing to walk at all
 * (no new score, no score leaving its range), and where it resumes once only its instant moved.
 */
class FamilySlotTest {

    private static final String FAMILY = "family-1";
    private static final Instant DAY0 = Instant.parse("2026-11-01T09:00:00Z");
    private static final AlertHistory HISTORY = new AlertHistory(EngagementRules.DEFAULTS);

    private final FamilySlot slot = new FamilySlot(FAMILY, null, RiskAlerts.Rules.of(List.of()));

    private static Instant day(int n) {
        return DAY0.plus(Duration.ofDays(n));
    }

    private void score(String id, Instant at, int value) {
        slot.add(Events.score(FAMILY).at(at).score(value).id(id).build());
    }

    /** Walks the slot's scores up to {@code asOf} from scratch, as a first computation does. */
    private void walkTo(Instant asOf) {
        AlertHistory.Resume end = HISTORY.walk(slot.timeline.all(), asOf, slot.walkFrom()).end();
        slot.walkedTo(end, HISTORY.firstLeavesMillis(end));
    }

    @Test
    void shouldNeitherContinueNorSkipWhenNothingWasWalkedYet() {
        assertThat(slot.walkContinues()).isFalse();
        assertThat(slot.levelUnchangedAt(day(0).toEpochMilli())).isFalse();
        assertThat(slot.walkFrom()).isSameAs(slot.carry);
    }

    @Test
    void shouldSkipTheWalkUntilTheFirstScoreInRangeLeavesWhenNoScoreArrives() {
        score("s0", day(0), 80);
        walkTo(day(1));

        // s0 leaves (t − 7d, t] at day 7 09:00: up to the millisecond before, nothing to walk
        assertThat(slot.levelUnchangedAt(day(7).toEpochMilli() - 1)).isTrue();
        assertThat(slot.levelUnchangedAt(day(7).toEpochMilli())).isFalse();
    }

    @Test
    void shouldWalkWhenAScoreArrivedAfterTheLastWalk() {
        score("s0", day(0), 80);
        walkTo(day(1));
        score("s1", day(2), 60);

        assertThat(slot.levelUnchangedAt(day(2).toEpochMilli())).isFalse();
        assertThat(slot.walkContinues()).isTrue();
    }

    @Test
    void shouldStartOverFromTheCarryWhenALateScoreLiesAtOrBeforeTheWalk() {
        score("s0", day(0), 80);
        walkTo(day(1));
        score("late", day(1), 60); // at the walk's very instant: not after it

        assertThat(slot.walkContinues()).isFalse();
        assertThat(slot.walkFrom()).isSameAs(slot.carry);
    }

    @Test
    void shouldResumeAtTheLastComputationsInstantWhenOnlyTheInstantMoved() {
        score("s0", day(0), 80);
        walkTo(day(1));
        AlertHistory.Resume walked = slot.walked;

        slot.unchangedTo(day(3), day(3).toEpochMilli());

        assertThat(slot.walked).isSameAs(walked);
        assertThat(slot.walkedAt).isEqualTo(day(3));
        assertThat(slot.walkFrom()).isEqualTo(walked.movedTo(day(3)));
        // a late score after day 1 but before day 3 was never walked, and is not after the walk's instant
        score("late", day(2), 60);
        assertThat(slot.walkContinues()).isFalse();
    }

    @Test
    void shouldKeepTheLaterInstantWhenAComputationIsAsOfAnEarlierOne() {
        score("s0", day(0), 80);
        walkTo(day(2));

        slot.unchangedTo(day(1), day(1).toEpochMilli());

        assertThat(slot.walkedAt).isEqualTo(day(2));
        assertThat(slot.walkFrom()).isSameAs(slot.walked);
    }

    @Test
    void shouldTellInstantsApartWithinOneMillisecondWhenMovingTheWalk() {
        score("s0", day(0), 80);
        walkTo(day(1));
        Instant withinTheMillisecond = day(1).plusNanos(500);

        slot.unchangedTo(withinTheMillisecond, day(1).toEpochMilli());

        assertThat(slot.walkedAt).isEqualTo(withinTheMillisecond);
    }

    @Test
    void shouldGiveARiseTheSeverityOfTheSameName() {
        for (AlertLevel level : List.of(AlertLevel.WATCH, AlertLevel.WARNING, AlertLevel.CRITICAL)) {
            assertThat(EngagementAlerts.severityOf(level)).isEqualTo(Severity.fromWireName(level.wireName()).orElseThrow());
        }
        assertThatThrownBy(() -> EngagementAlerts.severityOf(AlertLevel.NONE)).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void shouldKeepTheLargestEventTimeWhenEventsArriveOutOfOrder() {
        score("s1", day(2), 60);
        score("s0", day(1), 80);

        assertThat(slot.lastEventTimestamp).isEqualTo(day(2));
        assertThat(slot.eventsProcessed).isEqualTo(2);
    }

    @Test
    void shouldCompareWithARestoredTimeFinerThanAMillisecondWhenEventsArrive() {
        // restored at day 1 + 0.5 ms: an event at day 1 + 0 ms is before it, one at day 1 + 1 ms after it
        Instant restored = day(1).plusNanos(500_000);
        slot.restoreLastEventTimestamp(restored);

        score("same-millisecond", day(1), 80);
        assertThat(slot.lastEventTimestamp).isEqualTo(restored);
        score("next-millisecond", day(1).plusMillis(1), 80);
        assertThat(slot.lastEventTimestamp).isEqualTo(day(1).plusMillis(1));
    }
}
