package dev.pulse.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.family.FamilyMetrics;
import dev.pulse.rules.Detection;
import dev.pulse.rules.DetectionChange;
import dev.pulse.rules.FamilyRulesState;
import dev.pulse.stream.time.Watermark;
import dev.pulse.stream.window.WindowCounter;
import dev.pulse.stream.window.WindowSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The state as a checkpoint stores it, as it changes (SPEC §4): the head of every family a step reports changed,
 * the events it reports retained, minus the range it reports pruned. Kept that way, the stored state is at every
 * step exactly the engine's, and a partition restored from it goes on like one that never stopped.
 */
class CheckpointedStateTest {

    private static final String F1 = "family-1";
    private static final String F2 = "family-2";
    private static final Instant DAY0 = Instant.parse("2026-11-01T09:00:00Z");
    private static final EngineSettings SETTINGS = EngineSettings.defaults();
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.EPOCH);

    /** What the database holds, applied the way the checkpoint writes it. */
    private static final class Store {
        final Map<String, FamilyHead> heads = new HashMap<>();
        /** Retained events by event id. */
        final Map<String, Event> events = new HashMap<>();

        void write(PartitionEngine engine, EngineOutput out) {
            out.changedFamilies().forEach(id -> heads.put(id, engine.head(id)));
            if (out.pruned() != null) {
                EngineOutput.Pruned range = out.pruned();
                events.values().removeIf(e -> !e.eventTimestamp().isBefore(range.from() == null ? Instant.MIN : range.from())
                        && e.eventTimestamp().isBefore(range.before()));
            }
            for (Event e : out.retained()) {
                assertThat(events.put(e.eventId(), e)).as("event %s retained a second time", e.eventId()).isNull();
            }
        }

        /** A fresh engine at {@code checkpointed}'s stream time and watermark (the checkpoint row), with every family restored. */
        PartitionEngine restore(PartitionEngine checkpointed) {
            PartitionEngine engine = new PartitionEngine(SETTINGS, checkpointed.streamTime(), checkpointed.watermark(), CLOCK);
            Map<String, List<Event>> byFamily = new HashMap<>();
            events.values().forEach(e -> byFamily.computeIfAbsent(e.aggregateId(), id -> new ArrayList<>()).add(e));
            heads.values().forEach(head -> engine.restore(FamilySnapshot.of(head, byFamily.getOrDefault(head.familyId(), List.of()))));
            return engine;
        }
    }

    /** Feeds batches, writes each step's output to its store, and keeps what the projections would hold. */
    private static final class Run {
        PartitionEngine engine = PartitionEngine.fresh(SETTINGS, CLOCK);
        final Store store = new Store();
        final Map<String, Detection> active = new TreeMap<>();
        final Map<String, FamilyMetrics> lastMetrics = new TreeMap<>();

        EngineOutput apply(List<Event> batch) {
            EngineOutput out = engine.apply(batch);
            store.write(engine, out);
            out.metrics().forEach(m -> lastMetrics.put(m.familyId(), m));
            for (DetectionChange change : out.detections()) {
                if (change instanceof DetectionChange.Retracted) {
                    active.remove(change.detection().detectionId());
                } else {
                    active.put(change.detection().detectionId(), change.detection());
                }
            }
            return out;
        }
    }

    static LongStream seeds() {
        return LongStream.range(7000, 7040);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldHoldExactlyTheEnginesEventsAfterEveryStepWhenHistoryIsPruned(long seed) {
        // 80 days over a 35-day retention: every family is pruned many times
        List<Event> inOrder = PartitionEngineTest.scenario(seed, 80);
        Random r = new Random(seed);
        Run run = new Run();

        for (List<Event> batch : PartitionEngineTest.batches(PartitionEngineTest.shuffled(inOrder, r), r)) {
            run.apply(batch);
            Map<String, List<Event>> held = new HashMap<>();
            run.store.events.values().forEach(e -> held.computeIfAbsent(e.aggregateId(), id -> new ArrayList<>()).add(e));
            for (String family : run.engine.familyIds()) {
                assertThat(held.getOrDefault(family, List.of())).as("seed %d: stored events of %s", seed, family)
                        .containsExactlyInAnyOrderElementsOf(run.engine.snapshot(family).events());
                assertThat(comparable(run.store.heads.get(family), run.engine.watermark())).as("seed %d: stored head of %s", seed, family)
                        .isEqualTo(comparable(run.engine.head(family), run.engine.watermark()));
            }
        }
        assertThat(run.store.events.size()).as("pruning happened").isLessThan(inOrder.size());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldContinueLikeUninterruptedRunWhenRestoredFromStoredState(long seed) {
        List<Event> inOrder = PartitionEngineTest.scenario(seed, 80);
        Random r = new Random(seed ^ 0x5DEECE66DL);
        List<List<Event>> batches = PartitionEngineTest.batches(PartitionEngineTest.shuffled(inOrder, r), r);
        int cut = batches.size() / 2 + r.nextInt(batches.size() / 2);
        String context = "seed " + seed + ", restored after batch " + cut;

        Run uninterrupted = new Run();
        batches.forEach(uninterrupted::apply);
        Run interrupted = new Run();
        batches.subList(0, cut).forEach(interrupted::apply);
        PartitionEngine restored = interrupted.store.restore(interrupted.engine);
        for (String family : interrupted.engine.familyIds()) {
            assertThat(comparable(restored.snapshot(family).head(), interrupted.engine.watermark()))
                    .as("%s: restored head of %s", context, family)
                    .isEqualTo(comparable(interrupted.engine.head(family), interrupted.engine.watermark()));
            assertThat(restored.snapshot(family).events()).as("%s: restored events of %s", context, family)
                    .isEqualTo(interrupted.engine.snapshot(family).events());
        }
        interrupted.engine = restored;
        batches.subList(cut, batches.size()).forEach(interrupted::apply);

        assertThat(interrupted.active).as("%s: active detections", context).isEqualTo(uninterrupted.active);
        assertThat(interrupted.lastMetrics.values().stream().map(PartitionEngineTest::figures).toList())
                .as("%s: last metrics", context)
                .isEqualTo(uninterrupted.lastMetrics.values().stream().map(PartitionEngineTest::figures).toList());
        assertThat(interrupted.store.events).as("%s: stored events", context).isEqualTo(uninterrupted.store.events);
    }

    /**
     * The head without the rules' frozen horizon: it follows the watermark, which moves without the family changing,
     * and a restore sets it from the restored watermark (FamilyRules#restore); so it is never part of what a step
     * reports changed. Its windows as a restore under {@code watermark} settles them, for the same reason: windows
     * that the watermark alone made final or forgot leave the stored snapshot as it was (WindowCounter), and a restore
     * under that watermark closes them again.
     */
    private static FamilyHead comparable(FamilyHead head, Watermark watermark) {
        FamilyRulesState rules = head.rules();
        return new FamilyHead(head.familyId(), head.eventsProcessed(), head.lastEventTimestamp(), head.carry(), head.frozenBefore(),
                head.asOf(), new FamilyRulesState(rules.familyId(), Instant.MIN, rules.histories(), rules.pending()),
                settled(head.windows(), watermark));
    }

    private static WindowSnapshot settled(WindowSnapshot windows, Watermark watermark) {
        if (windows == null) {
            return null;
        }
        WindowCounter counter = new WindowCounter(SETTINGS.windows(), SETTINGS.allowedLateness());
        counter.onWatermark(watermark);
        counter.restore(windows);
        return counter.snapshot(windows.familyId()).orElse(null);
    }

    @Test
    void shouldReportEachArrivalAsRetainedInArrivalOrderWhenNothingIsPruned() {
        PartitionEngine engine = PartitionEngine.fresh(SETTINGS, CLOCK);
        Event a = Events.login(F1).at(DAY0.plusSeconds(10)).id("a").build();
        Event b = Events.login(F2).at(DAY0).id("b").build();
        Event c = Events.payment(F1).at(DAY0.plusSeconds(5)).id("c").build();

        EngineOutput out = engine.apply(List.of(a, b, c));

        assertThat(out.retained()).containsExactly(a, b, c);
        assertThat(out.changedFamilies()).containsExactlyInAnyOrder(F1, F2);
    }

    @Test
    void shouldNotRetainEventWhenItArrivesOlderThanThePruningHorizon() {
        PartitionEngine engine = PartitionEngine.fresh(SETTINGS, CLOCK);
        engine.apply(List.of(Events.login(F1).at(DAY0.plus(Duration.ofDays(40))).id("now").build()));
        Event ancient = Events.login(F2).at(DAY0).id("ancient").build();   // 40 days late, retention is 35

        EngineOutput out = engine.apply(List.of(ancient));

        assertThat(out.retained()).isEmpty();
        assertThat(out.pruned()).as("the horizon did not move").isNull();
        assertThat(out.changedFamilies()).as("its count changed all the same").contains(F2);
        assertThat(engine.snapshot(F2).events()).isEmpty();
        assertThat(engine.head(F2).eventsProcessed()).isEqualTo(1);
    }

    @Test
    void shouldReportPrunedRangeFromThePreviousHorizonAndThePrunedFamilyWhenTheWatermarkMoves() {
        PartitionEngine engine = PartitionEngine.fresh(SETTINGS, CLOCK);
        engine.apply(List.of(Events.score(F1).at(DAY0).score(80).id("old").build()));
        EngineOutput first = engine.apply(List.of(Events.login(F2).at(DAY0.plus(Duration.ofDays(10))).id("f2-a").build()));
        assertThat(first.pruned()).as("the horizon moved, but passed no event").isNull();
        Instant firstHorizon = DAY0.plus(Duration.ofDays(10)).minus(SETTINGS.maxOutOfOrderness()).minus(SETTINGS.retention());

        Instant later = DAY0.plus(Duration.ofDays(40));
        EngineOutput out = engine.apply(List.of(Events.login(F2).at(later).id("f2-b").build()));

        Instant horizon = later.minus(SETTINGS.maxOutOfOrderness()).minus(SETTINGS.retention());
        assertThat(out.pruned()).isEqualTo(new EngineOutput.Pruned(firstHorizon, horizon));
        assertThat(out.changedFamilies()).as("family-1 had no event, but its carry moved").containsExactlyInAnyOrder(F1, F2);
        assertThat(engine.snapshot(F1).events()).isEmpty();
        assertThat(engine.head(F1).carry().latestScore()).isEqualTo(80);
        assertThat(engine.apply(List.of(Events.login(F2).at(later.plusSeconds(1)).id("f2-c").build())).pruned())
                .as("nothing more to forget").isNull();
    }

    @Test
    void shouldStartPruningFromTheRestoredWatermarksHorizonWhenRestored() {
        PartitionEngine original = PartitionEngine.fresh(SETTINGS, CLOCK);
        original.apply(List.of(Events.login(F1).at(DAY0).id("a").build(),
                Events.login(F1).at(DAY0.plus(Duration.ofDays(4))).id("b").build()));
        original.apply(List.of(Events.login(F2).at(DAY0.plus(Duration.ofDays(38))).id("c").build()));   // forgets a
        PartitionEngine restored = new PartitionEngine(SETTINGS, original.streamTime(), original.watermark(), CLOCK);
        restored.restore(original.snapshot(F1));
        restored.restore(original.snapshot(F2));
        Event next = Events.login(F2).at(DAY0.plus(Duration.ofDays(41))).id("d").build();          // forgets b

        EngineOutput expected = original.apply(List.of(next));
        EngineOutput actual = restored.apply(List.of(next));

        assertThat(actual.pruned()).isNotNull().isEqualTo(expected.pruned());
        assertThat(actual.pruned().from())
                .isEqualTo(DAY0.plus(Duration.ofDays(38)).minus(SETTINGS.maxOutOfOrderness()).minus(SETTINGS.retention()));
    }
}
