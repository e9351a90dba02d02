package dev.pulse.stream.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.event.Event;
import dev.pulse.event.EventType;
import dev.pulse.event.Events;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The timeline is a sorted array with the events' time, score and type beside it; these tests hold it to
 * the plain definition (a set in SPEC §7 order) under any arrival order, duplicates and pruning.
 */
class FamilyTimelineTest {

    private static final String FAMILY = "family-1";
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");

    @Test
    void shouldKeepEventsInTimeThenIdOrderWhateverTheArrivalOrder() {
        FamilyTimeline timeline = new FamilyTimeline(FAMILY);
        Event late = login("b", 0);
        Event tieFirst = login("a", 5);
        Event tieSecond = login("c", 5);
        Event newest = login("d", 9);

        timeline.add(newest);
        timeline.add(tieSecond);
        timeline.add(late);
        timeline.add(tieFirst);

        assertThat(timeline.all()).containsExactly(late, tieFirst, tieSecond, newest);
    }

    @Test
    void shouldRefuseAnEventWithTheSameTimeAndIdTwice() {
        FamilyTimeline timeline = new FamilyTimeline(FAMILY);

        assertThat(timeline.add(login("a", 1))).isTrue();
        assertThat(timeline.add(login("a", 1))).isFalse();
        assertThat(timeline.size()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnotherFamilysEventAndTimesFinerThanMilliseconds() {
        FamilyTimeline timeline = new FamilyTimeline(FAMILY);

        assertThatThrownBy(() -> timeline.add(Events.login("family-2").id("x").build()))
                .hasMessageContaining("belongs to family-2");
        Event subMillisecond = new Event("x", "UserLogin", FAMILY, T0.plusNanos(1), 1, java.util.Map.of());
        assertThatThrownBy(() -> timeline.add(subMillisecond)).hasMessageContaining("finer than milliseconds");
    }

    @Test
    void shouldAnswerTheFactsOfEachEventBesideIt() {
        FamilyTimeline timeline = new FamilyTimeline(FAMILY);
        timeline.add(Events.payment(FAMILY).id("p").at(T0.plusSeconds(2)).build());
        timeline.add(Events.score(FAMILY).id("s").at(T0.plusSeconds(1)).score(42).build());
        timeline.add(login("l", 0));

        assertThat(timeline.millisAt(0)).isEqualTo(T0.toEpochMilli());
        assertThat(timeline.isAt(0, EventType.USER_LOGIN)).isTrue();
        assertThat(timeline.scoreAt(0)).isEqualTo(FamilyTimeline.NO_SCORE);
        assertThat(timeline.scoreAt(1)).isEqualTo(42);
        assertThat(timeline.isAt(1, EventType.ENGAGEMENT_SCORE_UPDATED)).isTrue();
        assertThat(timeline.isAt(2, EventType.PAYMENT_RECEIVED)).isTrue();
        assertThat(timeline.isAt(2, EventType.USER_LOGIN)).isFalse();
    }

    @Test
    void shouldKeepTheFactsExactAtTheEdgesOfTimesScoresAndTypes() {
        FamilyTimeline timeline = new FamilyTimeline(FAMILY);
        Instant earliest = dev.pulse.event.EventValidator.EARLIEST;
        Instant latest = dev.pulse.event.EventValidator.LATEST;
        timeline.add(Events.score(FAMILY).id("last").at(latest).score(100).build());
        timeline.add(Events.of("SomethingNew", FAMILY).id("new").at(Instant.EPOCH.minusMillis(1)).build());
        timeline.add(Events.score(FAMILY).id("first").at(earliest).score(0).build());

        assertThat(timeline.all()).extracting(Event::eventId).containsExactly("first", "new", "last");
        assertThat(timeline.millisAt(0)).isEqualTo(earliest.toEpochMilli());
        assertThat(timeline.scoreAt(0)).isZero();
        assertThat(timeline.millisAt(1)).isEqualTo(-1);
        assertThat(timeline.scoreAt(1)).isEqualTo(FamilyTimeline.NO_SCORE);
        assertThat(EventType.values()).noneMatch(type -> timeline.isAt(1, type));
        assertThat(timeline.millisAt(2)).isEqualTo(latest.toEpochMilli());
        assertThat(timeline.scoreAt(2)).isEqualTo(100);
        assertThat(timeline.isAt(2, EventType.ENGAGEMENT_SCORE_UPDATED)).isTrue();
        for (int i = 0; i < 3; i++) {
            long fact = timeline.factAt(i);
            assertThat(FamilyTimeline.millisOf(fact)).as("time of fact %d", i).isEqualTo(timeline.millisAt(i));
            assertThat(FamilyTimeline.scoreOf(fact)).as("score of fact %d", i).isEqualTo(timeline.scoreAt(i));
            assertThat(FamilyTimeline.kindOf(fact)).as("kind of fact %d", i).isEqualTo(timeline.kindAt(i));
        }
        assertThat(FamilyTimeline.kindOf(timeline.factAt(1))).isEqualTo(FamilyTimeline.OTHER_KIND);
        assertThatThrownBy(() -> timeline.factAt(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(timeline.indexAfter(-1)).isEqualTo(2);
        assertThat(timeline.indexAfter(latest.toEpochMilli())).as("at the newest").isEqualTo(3);
        assertThat(timeline.indexAfter(latest.toEpochMilli() - 1)).as("just before the newest").isEqualTo(2);
        assertThat(new FamilyTimeline(FAMILY).indexAfter(0)).as("empty").isZero();
    }

    @Test
    void shouldForgetPrunedEventsEntirely() {
        FamilyTimeline timeline = new FamilyTimeline(FAMILY);
        List.of(login("a", 0), login("b", 1), login("c", 2)).forEach(timeline::add);

        assertThat(timeline.pruneBefore(T0.plusSeconds(2))).isEqualTo(2);

        assertThat(timeline.all()).extracting(Event::eventId).containsExactly("c");
        assertThat(timeline.size()).isEqualTo(1);
        assertThatThrownBy(() -> timeline.eventAt(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> timeline.millisAt(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(timeline.after(login("b", 1))).extracting(Event::eventId).containsExactly("c");
    }

    @Test
    void shouldReadRangesWithInclusiveAndExclusiveBoundsExactly() {
        FamilyTimeline timeline = new FamilyTimeline(FAMILY);
        Event a = login("a", 0);
        Event b = login("b", 10);
        Event c = login("c", 20);
        List.of(c, a, b).forEach(timeline::add);

        assertThat(timeline.between(T0.plusSeconds(0), T0.plusSeconds(10))).containsExactly(a, b);
        assertThat(timeline.between(T0.plusMillis(1), T0.plusMillis(19_999))).containsExactly(b);
        assertThat(timeline.between(T0.plusSeconds(20), T0.plusSeconds(10))).isEmpty();
        assertThat(timeline.firstAfter(T0.plusSeconds(10))).isEqualTo(c);
        assertThat(timeline.firstAfter(T0.plusMillis(9_999))).isEqualTo(b);
        assertThat(timeline.firstAfter(T0.plusSeconds(20))).isNull();
        assertThat(timeline.firstAfter(Instant.MIN)).isEqualTo(a);
        assertThat(timeline.indexAfter(T0.plusSeconds(10).toEpochMilli() - 1)).isEqualTo(1);
        assertThat(timeline.indexAfter(Long.MAX_VALUE)).isEqualTo(3);
        assertThat(timeline.indexAfter(T0.plusSeconds(10).toEpochMilli())).isEqualTo(2);
        assertThat(timeline.before(b)).containsExactly(a);
        assertThat(timeline.after(b)).containsExactly(c);
        // a probe that is not held: its neighbours, as a sorted set's head and tail would give
        Event probe = login("bb", 10);
        assertThat(timeline.before(probe)).containsExactly(b, a);
        assertThat(timeline.after(probe)).containsExactly(c);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void shouldEqualASortedSetUnderRandomArrivalsDuplicatesAndPruning(long seed) {
        Random random = new Random(seed);
        FamilyTimeline timeline = new FamilyTimeline(FAMILY);
        TreeSet<Event> reference = new TreeSet<>(Event.EVENT_TIME_ORDER);
        for (int i = 0; i < 2_000; i++) {
            int second = random.nextInt(600);
            Event e = random.nextBoolean()
                    ? Events.score(FAMILY).id("e" + random.nextInt(50)).at(T0.plusSeconds(second)).score(random.nextInt(101)).build()
                    : login("e" + random.nextInt(50), second);
            assertThat(timeline.add(e)).as("seed %d, add %s", seed, e).isEqualTo(reference.add(e));
            if (random.nextInt(100) == 0) {
                Instant horizon = T0.plusSeconds(random.nextInt(200));
                int dropped = timeline.pruneBefore(horizon);
                int before = reference.size();
                reference.removeIf(x -> x.eventTimestamp().isBefore(horizon));
                assertThat(dropped).isEqualTo(before - reference.size());
            }
        }
        List<Event> expected = new ArrayList<>(reference);
        assertThat(timeline.all()).as("seed %d", seed).containsExactlyElementsOf(expected);
        for (int i = 0; i < expected.size(); i++) {
            Event e = expected.get(i);
            assertThat(timeline.millisAt(i)).isEqualTo(e.eventTimestamp().toEpochMilli());
            assertThat(timeline.scoreAt(i)).isEqualTo(e.newScore().orElse(FamilyTimeline.NO_SCORE));
            assertThat(timeline.isAt(i, EventType.USER_LOGIN)).isEqualTo(e.is(EventType.USER_LOGIN));
        }
    }

    private static Event login(String id, int second) {
        return Events.login(FAMILY).id(id).at(T0.plusSeconds(second)).build();
    }
}
