package dev.pulse.family;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.stream.time.StreamTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One micro-batch of a partition (SPEC §1.4: results in event time, independent of arrival order). */
class FamilyBatchTest {

    private static final Instant START = Instant.parse("2026-11-13T00:00:00Z");
    private static final List<String> FAMILIES = List.of("family-1", "family-2", "family-3");

    private final FamilyMetricsOperator operator = new FamilyMetricsOperator(AlertThresholds.DEFAULTS);
    private final FamilyBatch batch = new FamilyBatch(operator);

    // ---------------------------------------------------------------- one batch

    @Test
    void shouldAdvanceStreamTimeToLargestEventTimeWhenBatchIsApplied() {
        List<Event> events = List.of(
                Events.login("family-1").id("e1").at("09:00:00Z").build(),
                Events.login("family-2").id("e2").at("10:00:00.005Z").build(),
                Events.login("family-1").id("e3").at("08:00:00Z").build());

        FamilyBatch.Result result = batch.apply(StreamTime.NONE, FamilyState::empty, events);

        assertThat(result.streamTime()).isEqualTo(new StreamTime(Instant.parse("2026-11-23T10:00:00.005Z")));
    }

    @Test
    void shouldKeepStreamTimeWhenBatchIsOlderThanIt() {
        StreamTime before = new StreamTime(Instant.parse("2026-11-24T00:00:00Z"));

        FamilyBatch.Result result = batch.apply(before, FamilyState::empty,
                List.of(Events.login("family-1").id("e1").at("09:00:00Z").build()));

        assertThat(result.streamTime()).isEqualTo(before);
        assertThat(result.metrics()).singleElement().satisfies(m -> assertThat(m.asOf()).isEqualTo(before.instant()));
    }

    @Test
    void shouldKeepStreamTimeWhenBatchIsEmpty() {
        StreamTime before = new StreamTime(Instant.parse("2026-11-24T00:00:00Z"));

        FamilyBatch.Result result = batch.apply(before, FamilyState::empty, List.of());

        assertThat(result.streamTime()).isEqualTo(before);
        assertThat(result.changed()).isEmpty();
        assertThat(result.metrics()).isEmpty();
    }

    @Test
    void shouldReportMetricsInOrderOfFirstAppearanceWhenSeveralFamiliesAreTouched() {
        List<Event> events = List.of(
                Events.login("family-3").id("e1").at("09:00:00Z").build(),
                Events.login("family-1").id("e2").at("09:01:00Z").build(),
                Events.login("family-3").id("e3").at("09:02:00Z").build(),
                Events.login("family-2").id("e4").at("09:03:00Z").build());

        FamilyBatch.Result result = batch.apply(StreamTime.NONE, FamilyState::empty, events);

        assertThat(result.metrics()).extracting(FamilyMetrics::familyId).containsExactly("family-3", "family-1", "family-2");
        assertThat(result.metrics()).extracting(FamilyMetrics::eventsProcessed).containsExactly(2L, 1L, 1L);
        assertThat(result.metrics()).extracting(FamilyMetrics::asOf).containsOnly(Instant.parse("2026-11-23T09:03:00Z"));
        assertThat(result.changed()).containsOnlyKeys("family-1", "family-2", "family-3");
    }

    @Test
    void shouldStartFromKnownStateWhenFamilyHasOne() {
        FamilyState known = operator.apply(FamilyState.empty("family-1"),
                Events.score("family-1").id("e0").at("08:00:00Z").score(25).build(), Instant.parse("2026-11-23T08:00:00Z"));
        Map<String, FamilyState> states = Map.of("family-1", known);
        List<String> asked = new ArrayList<>();
        Function<String, FamilyState> stateOf = id -> {
            asked.add(id);
            return states.getOrDefault(id, FamilyState.empty(id));
        };

        FamilyBatch.Result result = batch.apply(new StreamTime(Instant.parse("2026-11-23T08:00:00Z")), stateOf, List.of(
                Events.login("family-1").id("e1").at("09:00:00Z").build(),
                Events.login("family-1").id("e2").at("09:30:00Z").build(),
                Events.login("family-2").id("e3").at("09:45:00Z").build()));

        assertThat(asked).as("each family's state is looked up once").containsExactly("family-1", "family-2");
        FamilyMetrics family1 = result.metrics().get(0);
        assertThat(family1.currentEngagementScore()).isEqualTo(25);
        assertThat(family1.alertLevel()).isEqualTo(AlertLevel.CRITICAL);
        assertThat(family1.alertReason()).isEqualTo("score 25 < 30");
        assertThat(family1.eventsProcessed()).isEqualTo(3);
        assertThat(family1.eventsLast7Days()).isEqualTo(3);
        assertThat(family1.lastEventTimestamp()).isEqualTo(Instant.parse("2026-11-23T09:30:00Z"));
        assertThat(result.changed().get("family-1").eventsProcessed()).isEqualTo(3);
    }

    @Test
    void shouldMatchEventByEventFoldWhenEventsComeInOneBatch() {
        List<Event> events = scenario();
        Map<String, FamilyState> oneByOne = new HashMap<>();
        StreamTime time = StreamTime.NONE;
        for (Event event : events) {
            FamilyBatch.Result result = batch.apply(time, id -> oneByOne.getOrDefault(id, FamilyState.empty(id)), List.of(event));
            oneByOne.putAll(result.changed());
            time = result.streamTime();
        }

        FamilyBatch.Result whole = batch.apply(StreamTime.NONE, FamilyState::empty, events);

        assertThat(whole.streamTime()).isEqualTo(time);
        for (String family : FAMILIES) {
            assertThat(metricsOf(whole.changed(), family, whole.streamTime()))
                    .as(family).isEqualTo(metricsOf(oneByOne, family, time));
        }
    }

    /**
     * SPEC §2: stream time is the largest event_timestamp seen. StreamTime.NONE is a real instant
     * (1870-01-22), so a partition whose events are all older never gets a stream time: advance() keeps
     * NONE, EventPipeline reports stream_time/watermark as null, as_of is 1870 and the events fall outside
     * (as_of − 7d, as_of].
     */
    @Test
    void shouldAdvanceStreamTimeWhenEventsPredateNoneSentinel() {
        Instant old = Instant.parse("1850-06-01T12:00:00Z");

        FamilyBatch.Result result = batch.apply(StreamTime.NONE, FamilyState::empty,
                List.of(Events.login("family-1").id("e1").at(old).build()));

        assertThat(result.streamTime().instant()).isEqualTo(old);
        assertThat(result.metrics()).singleElement().satisfies(m -> assertThat(m.eventsLast7Days()).isEqualTo(1));
    }

    // ---------------------------------------------------------------- order independence

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldReachInOrderResultWhenEventsArriveShuffledInRandomBatches(long seed) {
        List<Event> inOrder = scenario();
        Run expected = runInBatches(inOrder, 1);

        Random random = new Random(seed);
        List<Event> shuffled = new ArrayList<>(inOrder);
        Collections.shuffle(shuffled, random);
        Run actual = runInRandomBatches(shuffled, random);

        String context = "seed " + seed + " (re-run with this seed to reproduce)";
        assertThat(actual.streamTime).as(context).isEqualTo(expected.streamTime);
        for (String family : FAMILIES) {
            assertThat(metricsOf(actual.states, family, actual.streamTime))
                    .as("%s: metrics of %s", context, family)
                    .isEqualTo(metricsOf(expected.states, family, expected.streamTime));
            assertThat(foldOf(actual.states.get(family), actual.streamTime))
                    .as("%s: state of %s", context, family)
                    .isEqualTo(foldOf(expected.states.get(family), expected.streamTime));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldReachSameLastBatchMetricsWhenEventsArriveShuffled(long seed) {
        // the metrics a batch publishes for a family equal the in-order ones once all its events are in
        List<Event> inOrder = scenario();
        Run expected = runInBatches(inOrder, inOrder.size());

        Random random = new Random(seed);
        List<Event> shuffled = new ArrayList<>(inOrder);
        Collections.shuffle(shuffled, random);
        Run actual = runInRandomBatches(shuffled, random);

        for (String family : FAMILIES) {
            assertThat(actual.lastPublished.get(family))
                    .as("seed %d: last published metrics of %s", seed, family)
                    .isEqualTo(operator.metrics(actual.states.get(family), actual.lastPublished.get(family).asOf()));
        }
        Map<String, FamilyMetrics> finalMetrics = new TreeMap<>();
        for (String family : FAMILIES) {
            finalMetrics.put(family, metricsOf(actual.states, family, actual.streamTime));
        }
        assertThat(finalMetrics).as("seed %d", seed).isEqualTo(expected.lastPublished);
    }

    @Test
    void shouldCoverEveryMetricWhenScenarioIsBuilt() {
        // guards the shuffle test against a scenario that would make it pass trivially
        List<Event> events = scenario();
        Run run = runInBatches(events, 1);

        assertThat(events).hasSizeBetween(45, 60);
        assertThat(events.stream().map(Event::eventId).distinct()).hasSize(events.size());
        assertThat(Duration.between(events.get(0).eventTimestamp(), events.get(events.size() - 1).eventTimestamp()))
                .isGreaterThanOrEqualTo(Duration.ofDays(9));
        Map<String, FamilyMetrics> metrics = new TreeMap<>();
        for (String family : FAMILIES) {
            metrics.put(family, metricsOf(run.states, family, run.streamTime));
        }
        assertThat(metrics.values()).extracting(FamilyMetrics::alertLevel).doesNotHaveDuplicates();
        assertThat(metrics.values()).allSatisfy(m -> {
            assertThat(m.eventsLast7Days()).isPositive().isLessThan((int) m.eventsProcessed());
            assertThat(m.currentEngagementScore()).isNotNull();
        });
        // family-1's latest score is decided by the event-id tie-break at its last score instant
        assertThat(metrics.get("family-1").currentEngagementScore()).isEqualTo(22);
        // family-2 has an event exactly 7 days before the end of the stream: not counted
        assertThat(events).anySatisfy(e -> assertThat(e.eventTimestamp()).isEqualTo(run.streamTime.instant().minus(Duration.ofDays(7))));
    }

    // ---------------------------------------------------------------- scenario and runs

    /**
     * ~50 events over 3 families and 10 days, in (event_timestamp, event_id) order, with ties in event
     * time (also across families), scores that make each family's level differ, and events at both edges
     * of the final 7-day range.
     */
    static List<Event> scenario() {
        List<Event> events = new ArrayList<>();
        int[][] scores = {
                {85, 80, 72, 66, 60, 52, 45, 38, 31, 0},  // family-1: declines to critical (last two tie)
                {40, 45, 50, 55, 60, 62, 65, 68, 71, 75}, // family-2: recovers to none
                {60, 61, 59, 60, 58, 57, 60, 61, 59, 55}}; // family-3: steady watch
        for (int day = 0; day < 10; day++) {
            Instant midnight = START.plus(Duration.ofDays(day));
            for (int f = 0; f < FAMILIES.size(); f++) {
                String family = FAMILIES.get(f);
                String prefix = family + "-d" + day + "-";
                events.add(Events.score(family).id(prefix + "score").at(midnight.plus(Duration.ofHours(9))).score(scores[f][day]).build());
                if ((day + f) % 2 == 0) {
                    events.add(Events.login(family).id(prefix + "login").at(midnight.plus(Duration.ofHours(9))).build());
                }
                if ((day + f) % 4 == 1) {
                    events.add(Events.payment(family).id(prefix + "pay").at(midnight.plus(Duration.ofHours(14)).plusMillis(f)).build());
                }
            }
        }
        Instant end = START.plus(Duration.ofDays(9)).plus(Duration.ofHours(23));
        // family-1: a second score at the instant of its last one; "family-1-d9-tie" > "family-1-d9-score"
        // in string order, so 22 (not 0) is the latest score whatever the arrival order.
        events.add(Events.score("family-1").id("family-1-d9-tie").at(START.plus(Duration.ofDays(9)).plus(Duration.ofHours(9))).score(22).build());
        // the end of the stream and the range edges relative to it
        events.add(Events.login("family-3").id("family-3-end").at(end).build());
        events.add(Events.login("family-2").id("family-2-edge-out").at(end.minus(Duration.ofDays(7))).build());
        events.add(Events.login("family-2").id("family-2-edge-in").at(end.minus(Duration.ofDays(7)).plusMillis(1)).build());
        events.add(Events.of("Custom.Thing_1", "family-1").id("family-1-custom").at(end.minus(Duration.ofDays(3))).build());
        events.sort(Event.EVENT_TIME_ORDER);
        return events;
    }

    private record Run(StreamTime streamTime, Map<String, FamilyState> states, Map<String, FamilyMetrics> lastPublished) {
    }

    private Run runInBatches(List<Event> events, int size) {
        List<List<Event>> batches = new ArrayList<>();
        for (int i = 0; i < events.size(); i += size) {
            batches.add(events.subList(i, Math.min(events.size(), i + size)));
        }
        return run(batches);
    }

    private Run runInRandomBatches(List<Event> events, Random random) {
        List<List<Event>> batches = new ArrayList<>();
        int i = 0;
        while (i < events.size()) {
            int size = 1 + random.nextInt(10);
            batches.add(events.subList(i, Math.min(events.size(), i + size)));
            i += size;
        }
        return run(batches);
    }

    private Run run(List<List<Event>> batches) {
        Map<String, FamilyState> states = new HashMap<>();
        Map<String, FamilyMetrics> published = new TreeMap<>();
        StreamTime time = StreamTime.NONE;
        for (List<Event> events : batches) {
            FamilyBatch.Result result = batch.apply(time, id -> states.getOrDefault(id, FamilyState.empty(id)), events);
            states.putAll(result.changed());
            result.metrics().forEach(m -> published.put(m.familyId(), m));
            time = result.streamTime();
        }
        return new Run(time, states, published);
    }

    private FamilyMetrics metricsOf(Map<String, FamilyState> states, String family, StreamTime time) {
        return operator.metrics(states.getOrDefault(family, FamilyState.empty(family)), time.instant());
    }

    /**
     * The order-independent content of a state as of a stream time: score, counts, and the event times
     * that can still count. Times at or before as_of − 7d may or may not still be held depending on the
     * stream time at the family's last update; they can never count again, so they are left out.
     */
    private static Map<String, Object> foldOf(FamilyState state, StreamTime time) {
        long fromExclusive = time.instant().minus(Duration.ofDays(7)).toEpochMilli();
        Map<String, Object> fold = new TreeMap<>();
        fold.put("family", state.familyId());
        fold.put("latest", String.valueOf(state.latestScore()));
        fold.put("processed", state.eventsProcessed());
        fold.put("last", String.valueOf(state.lastEventTimestamp()));
        fold.put("recent", LongStream.of(state.recentEventTimesMs()).filter(t -> t > fromExclusive).boxed().toList());
        return fold;
    }
}
