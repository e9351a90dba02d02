package dev.pulse.stream.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.stream.time.Watermark;
import dev.pulse.stream.time.WatermarkTracker;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC §1.4 / §2: for events within the out-of-orderness bound, the counter rows do not depend on arrival
 * order, on where micro-batches are cut, or on restarts from checkpointed snapshots. Each seed builds a
 * scenario, runs it in event-time order one event per batch, and again shuffled within the 5 s bound and
 * cut into random batches (and rebuilt from snapshots at random checkpoints); the stored rows must be
 * identical. The seed is in every assertion message.
 */
class WindowCounterOrderIndependenceTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final int SEEDS = 40;
    private static final Instant START = Instant.parse("2026-11-23T08:58:30Z");
    private static final Watermark END_OF_STREAM = new Watermark(Instant.parse("2026-11-25T00:00:00Z"));
    /** Scenarios by seed, built once for all window kinds (building and validating events dominates the run time). */
    private static final Map<Long, List<Event>> SCENARIOS = new ConcurrentHashMap<>();

    static Stream<Arguments> windowKinds() {
        return Stream.of(
                arguments("tumbling 1m and 1h", List.of("tumbling:1m", "tumbling:1h"), Duration.ZERO),
                arguments("sliding 1h/5m", List.of("sliding:1h/5m"), Duration.ZERO),
                arguments("sliding 10m/3m", List.of("sliding:10m/3m"), Duration.ZERO),
                arguments("session 30m", List.of("session:30m"), Duration.ZERO),
                arguments("count 5/1", List.of("count:5/1"), Duration.ZERO),
                arguments("count 3/3", List.of("count:3/3"), Duration.ZERO),
                arguments("count 4/2", List.of("count:4/2"), Duration.ZERO),
                arguments("defaults with 2m allowed lateness", List.of("tumbling:1m", "tumbling:1h", "session:30m"), Duration.ofMinutes(2)),
                arguments("all kinds with 1m allowed lateness", List.of("tumbling:1m", "sliding:1h/5m", "session:30m", "count:5/1"), Duration.ofMinutes(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windowKinds")
    void shouldProduceInOrderRowsWhenEventsAreShuffledWithinBoundAndCutIntoBatches(String kind, List<String> specTexts, Duration lateness) {
        List<WindowSpec> specs = specTexts.stream().map(WindowSpec::parse).toList();
        for (long seed = 1; seed <= SEEDS; seed++) {
            List<Event> inOrder = SCENARIOS.computeIfAbsent(seed, s -> scenario(new Random(s)));
            Random random = new Random(seed * 7919 + specTexts.hashCode());

            CounterProjection expected = run(specs, lateness, inOrder, null, false);
            CounterProjection actual = run(specs, lateness, shuffleWithinBound(inOrder, random), random, true);

            String context = "seed " + seed + ", " + kind;
            assertThat(expected.lates()).as(context + ": in-order run has no late events").isEmpty();
            assertThat(actual.lates()).as(context + ": shuffled run has no late events").isEmpty();
            assertThat(expected.rows()).as(context + ": scenario produced rows").isNotEmpty();
            assertThat(expected.rows().values()).as(context + ": all final").allMatch(CounterRow::isFinal);
            assertThat(actual.rows()).as(context + ": shuffled rows equal in-order rows").isEqualTo(expected.rows());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windowKinds")
    void shouldProduceUninterruptedRowsWhenCounterIsRebuiltFromSnapshotsMidStream(String kind, List<String> specTexts, Duration lateness) {
        List<WindowSpec> specs = specTexts.stream().map(WindowSpec::parse).toList();
        for (long seed = 1; seed <= SEEDS; seed++) {
            List<Event> inOrder = SCENARIOS.computeIfAbsent(seed, s -> scenario(new Random(s)));
            List<Event> arrival = shuffleWithinBound(inOrder, new Random(seed));

            CounterProjection uninterrupted = run(specs, lateness, arrival, new Random(seed), true, false);
            CounterProjection restarted = run(specs, lateness, arrival, new Random(seed), true, true);

            assertThat(restarted.lates()).as("seed %d, %s: no late events", seed, kind).isEmpty();
            assertThat(restarted.rows()).as("seed %d, %s: rows after restarts equal uninterrupted rows", seed, kind)
                    .isEqualTo(uninterrupted.rows());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windowKinds")
    void shouldTakeSameChangesAsFoldedOutcomesWhenBatchesAreCutAnywhereAndSomeEventsAreLate(String kind, List<String> specTexts,
                                                                                         Duration lateness) {
        List<WindowSpec> specs = specTexts.stream().map(WindowSpec::parse).toList();
        for (long seed = 1; seed <= SEEDS; seed++) {
            List<Event> inOrder = SCENARIOS.computeIfAbsent(seed, s -> scenario(new Random(s)));
            Random random = new Random(seed * 31 + specTexts.hashCode());
            List<Event> arrival = delaySome(shuffleWithinBound(inOrder, random), random);

            int lates = runSideBySide(specs, lateness, arrival, random, "seed " + seed + ", " + kind);

            if (seed == 1) {
                assertThat(lates).as("%s: the delayed events make late records", kind).isPositive();
            }
        }
    }

    /**
     * Without reported finality a family's watermark visit may wait for its next event ({@link WindowCounter#VISIT_AFTER}):
     * every batch's changes, changed families and checkpointed snapshots must be those of a counter that visits at
     * once, with delayed events, batches cut anywhere and restarts, whether visits wait 90 s (the sweep visits often),
     * 20 minutes or the default.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("windowKinds")
    void shouldTakeTheSameChangesAndSnapshotsWhenWatermarkVisitsWaitForTheFamilysNextEvent(String kind, List<String> specTexts,
                                                                                        Duration lateness) {
        List<WindowSpec> specs = specTexts.stream().map(WindowSpec::parse).toList();
        int finalRows = 0;
        for (Duration visitAfter : List.of(Duration.ofSeconds(90), Duration.ofMinutes(20), WindowCounter.VISIT_AFTER)) {
            for (long seed = 1; seed <= SEEDS; seed++) {
                List<Event> inOrder = SCENARIOS.computeIfAbsent(seed, s -> scenario(new Random(s)));
                Random random = new Random(seed * 131 + specTexts.hashCode());
                List<Event> arrival = delaySome(shuffleWithinBound(inOrder, random), random);
                finalRows += runEagerBesideWaiting(specs, lateness, visitAfter, arrival, random,
                        "seed " + seed + ", " + kind + ", visits after " + visitAfter);
            }
        }
        if (!specTexts.stream().allMatch(text -> text.startsWith("count:"))) {
            // Count rows are computed when logged; live rows are read when taken, final when the watermark passed their end.
            assertThat(finalRows).as("%s: some rows were taken final (their window closed in the batch that changed them)", kind)
                    .isPositive();
        }
    }

    /** Answers how many rows the batches took as final. */
    private static int runEagerBesideWaiting(List<WindowSpec> specs, Duration lateness, Duration visitAfter, List<Event> arrival,
                                              Random random, String context) {
        WatermarkTracker tracker = new WatermarkTracker(BOUND, Duration.ZERO, () -> Instant.EPOCH);
        WindowCounter eager = new WindowCounter(specs, lateness, false, Duration.ZERO);
        WindowCounter waiting = new WindowCounter(specs, lateness, false, visitAfter);
        Map<String, WindowSnapshot> store = new HashMap<>();
        Set<String> seen = new TreeSet<>();
        int i = 0;
        int batchNumber = 0;
        int finalRows = 0;
        while (i < arrival.size()) {
            int batchEnd = Math.min(arrival.size(), i + 1 + random.nextInt(random.nextBoolean() ? 4 : 200));
            for (; i < batchEnd; i++) {
                Event event = arrival.get(i);
                Watermark watermark = tracker.onEvent(event.eventTimestamp());
                eager.count(event, watermark);
                waiting.count(event, watermark);
                seen.add(event.aggregateId());
            }
            eager.advanceTo(tracker.watermark());
            waiting.advanceTo(tracker.watermark());
            String at = context + ", batch " + batchNumber++;
            CounterChanges expected = eager.takeChanges();
            finalRows += (int) expected.upserts().stream().filter(CounterRow::isFinal).count();
            assertThat(waiting.takeChanges()).as(at + ": changes").isEqualTo(expected);
            List<String> changed = eager.takeChangedFamilies();
            assertThat(waiting.takeChangedFamilies()).as(at + ": changed families").isEqualTo(changed);
            // The checkpoint's snapshots, then (now and then) every family's: a snapshot must not depend on whether a
            // visit was waiting, nor change what follows it.
            for (String familyId : random.nextInt(5) == 0 ? seen : changed) {
                Optional<WindowSnapshot> snapshot = eager.snapshot(familyId);
                assertThat(waiting.snapshot(familyId)).as(at + ": snapshot of " + familyId).isEqualTo(snapshot);
                if (changed.contains(familyId)) {
                    snapshot.ifPresentOrElse(s -> store.put(familyId, s), () -> store.remove(familyId));
                }
            }
            if (random.nextInt(8) == 0) {
                tracker = WatermarkTracker.resume(tracker.streamTime(), tracker.watermark(), BOUND, Duration.ZERO, () -> Instant.EPOCH);
                eager = new WindowCounter(specs, lateness, false, Duration.ZERO);
                waiting = new WindowCounter(specs, lateness, false, visitAfter);
                eager.advanceTo(tracker.watermark());
                waiting.advanceTo(tracker.watermark());
                for (WindowSnapshot snapshot : store.values()) {
                    eager.restoreFamily(snapshot);
                    waiting.restoreFamily(snapshot);
                }
            }
        }
        eager.advanceTo(END_OF_STREAM);
        waiting.advanceTo(END_OF_STREAM);
        assertThat(waiting.takeChanges()).as(context + ": end of stream").isEqualTo(eager.takeChanges());
        for (String familyId : seen) {
            assertThat(waiting.snapshot(familyId)).as(context + ": last snapshot of " + familyId).isEqualTo(eager.snapshot(familyId));
        }
        return finalRows;
    }

    /**
     * Consecutive aligned specs share one counter per family (two to a counter): the rows and late records of specs
     * counted together must be those of each spec counted alone, with delayed events, batches cut anywhere and
     * restarts from snapshots.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedCounters")
    void shouldGiveEachSpecTheRowsItHasAloneWhenAlignedSpecsShareACounter(String kind, List<String> specTexts, Duration lateness) {
        List<WindowSpec> specs = specTexts.stream().map(WindowSpec::parse).toList();
        for (long seed = 1; seed <= SEEDS; seed++) {
            List<Event> inOrder = SCENARIOS.computeIfAbsent(seed, s -> scenario(new Random(s)));
            List<Event> arrival = delaySome(shuffleWithinBound(inOrder, new Random(seed)), new Random(seed));

            CounterProjection together = run(specs, lateness, arrival, new Random(seed), true, true);
            Map<CounterProjection.RowId, CounterRow> alone = new TreeMap<>();
            List<String> lateAlone = new ArrayList<>();
            for (WindowSpec spec : specs) {
                CounterProjection one = run(List.of(spec), lateness, arrival, new Random(seed), true, true);
                alone.putAll(one.rows());
                one.lates().forEach(l -> lateAlone.add(l.toString()));
            }

            assertThat(together.rows()).as("seed %d, %s: rows", seed, kind).isNotEmpty().isEqualTo(alone);
            assertThat(together.lates().stream().map(Outcome.Late::toString).sorted().toList())
                    .as("seed %d, %s: late records", seed, kind).isEqualTo(lateAlone.stream().sorted().toList());
            if (seed == 1) {
                assertThat(lateAlone).as("%s: the delayed events make late records", kind).isNotEmpty();
            }
        }
    }

    static Stream<Arguments> sharedCounters() {
        return Stream.of(
                arguments("tumbling 1m, sliding 1h/5m (one counter), tumbling 1h, sliding 10m/3m (another)",
                        List.of("tumbling:1m", "sliding:1h/5m", "tumbling:1h", "sliding:10m/3m"), Duration.ZERO),
                arguments("tumbling 1m and 1h (one counter), session, sliding 10m/3m alone, with 1m allowed lateness",
                        List.of("tumbling:1m", "tumbling:1h", "session:30m", "sliding:10m/3m"), Duration.ofMinutes(1)),
                arguments("three aligned specs (a pair and one alone), with 2m allowed lateness",
                        List.of("sliding:10m/3m", "tumbling:1m", "tumbling:1h"), Duration.ofMinutes(2)));
    }

    /**
     * A counter driven by outcomes (folded per batch with {@link CounterChanges#of}) and one driven by
     * {@link WindowCounter#count} and {@link WindowCounter#takeChanges}, fed the same batches, checkpoints
     * and restarts: every batch's changes, changed families and snapshots must be equal, order included.
     * Returns how many late records the run had.
     */
    private static int runSideBySide(List<WindowSpec> specs, Duration lateness, List<Event> arrival, Random random, String context) {
        WatermarkTracker tracker = new WatermarkTracker(BOUND, Duration.ZERO, () -> Instant.EPOCH);
        WindowCounter byOutcomes = new WindowCounter(specs, lateness);
        WindowCounter byChanges = new WindowCounter(specs, lateness);
        Map<String, WindowSnapshot> store = new HashMap<>();
        List<Outcome> pending = new ArrayList<>();
        int lates = 0;
        int i = 0;
        int batchNumber = 0;
        while (i < arrival.size()) {
            List<Outcome> batch = new ArrayList<>(pending);
            pending.clear();
            int batchEnd = Math.min(arrival.size(), i + 1 + random.nextInt(random.nextBoolean() ? 4 : 200));
            for (; i < batchEnd; i++) {
                Event event = arrival.get(i);
                Watermark watermark = tracker.onEvent(event.eventTimestamp());
                batch.addAll(byOutcomes.onEvent(event, watermark));
                byChanges.count(event, watermark);
            }
            batch.addAll(byOutcomes.onWatermark(tracker.watermark()));
            byChanges.advanceTo(tracker.watermark());
            String at = context + ", batch " + batchNumber++;
            CounterChanges expected = CounterChanges.of(batch);
            assertThat(byChanges.takeChanges()).as(at + ": changes").isEqualTo(expected);
            lates += expected.lates().size();
            List<String> changed = byOutcomes.takeChangedFamilies();
            assertThat(byChanges.takeChangedFamilies()).as(at + ": changed families").isEqualTo(changed);
            for (String familyId : changed) {
                Optional<WindowSnapshot> snapshot = byOutcomes.snapshot(familyId);
                assertThat(byChanges.snapshot(familyId)).as(at + ": snapshot of " + familyId).isEqualTo(snapshot);
                snapshot.ifPresentOrElse(s -> store.put(familyId, s), () -> store.remove(familyId));
            }
            if (random.nextInt(6) == 0) {
                tracker = WatermarkTracker.resume(tracker.streamTime(), tracker.watermark(), BOUND, Duration.ZERO, () -> Instant.EPOCH);
                byOutcomes = new WindowCounter(specs, lateness);
                byChanges = new WindowCounter(specs, lateness);
                pending.addAll(byOutcomes.onWatermark(tracker.watermark()));
                byChanges.advanceTo(tracker.watermark());
                for (WindowSnapshot snapshot : store.values()) {
                    pending.addAll(byOutcomes.restore(snapshot));
                    byChanges.restoreFamily(snapshot);
                }
            }
        }
        pending.addAll(byOutcomes.onWatermark(END_OF_STREAM));
        byChanges.advanceTo(END_OF_STREAM);
        assertThat(byChanges.takeChanges()).as(context + ": end of stream").isEqualTo(CounterChanges.of(pending));
        assertThat(byChanges.takeChanges()).as(context + ": taken once").isEqualTo(CounterChanges.of(List.of()));
        return lates;
    }

    /** Moves one event in 20 later by up to 40 minutes: late for minutes, sessions and count runs, or within lateness. */
    private static List<Event> delaySome(List<Event> arrival, Random random) {
        List<Event> delayed = new ArrayList<>(arrival);
        for (int i = delayed.size() - 1; i >= 0; i--) {
            if (random.nextInt(20) == 0) {
                Event event = delayed.remove(i);
                delayed.add(Math.min(delayed.size(), i + 1 + random.nextInt(40)), event);
            }
        }
        return delayed;
    }

    /**
     * Three families, in event-time order, each a timeline of payments, scores, logins and e-mails (types
     * in runs): mostly seconds apart, some in bursts, some tied (same millisecond, ordered by event id),
     * with minute jumps and session-gap edges (30m exactly, 30m − 1 ms, 29m, 31m).
     */
    private static List<Event> scenario(Random random) {
        List<Event> events = new ArrayList<>();
        for (int family = 1; family <= 3; family++) {
            long t = START.toEpochMilli() + random.nextInt(60_000);
            int count = 60 + random.nextInt(60);
            int type = random.nextInt(4);
            for (int i = 0; i < count; i++) {
                t += step(random);
                // Types come in runs, so same-type events (what count windows number) reorder within the bound.
                type = random.nextInt(100) < 60 ? type : random.nextInt(4);
                events.add(event("family-" + family, Instant.ofEpochMilli(t), type, random, family + "-" + i));
            }
        }
        return events.stream().sorted(Event.EVENT_TIME_ORDER).toList();
    }

    private static long step(Random random) {
        int kind = random.nextInt(100);
        if (kind < 5) {
            return 0; // a tie, broken by event id
        }
        if (kind < 35) {
            return 1 + random.nextInt(1500); // bursts: same-type events reorder within the bound
        }
        if (kind < 75) {
            return random.nextInt(20_000);
        }
        if (kind < 90) {
            return 60_000L * (1 + random.nextInt(10)) + random.nextInt(1000);
        }
        long[] gapEdges = {30 * 60_000L, 30 * 60_000L - 1, 29 * 60_000L, 31 * 60_000L};
        return gapEdges[random.nextInt(gapEdges.length)];
    }

    private static Event event(String family, Instant t, int type, Random random, String suffix) {
        // A random prefix, so the id order of tied events differs from their generation order.
        String id = String.format("e-%04x-%s", random.nextInt(0x10000), suffix);
        return switch (type) {
            case 0 -> Events.payment(family).at(t).amount(BigDecimal.valueOf(1 + random.nextInt(99_999), 2).toPlainString()).id(id).build();
            case 1 -> Events.score(family).at(t).score(random.nextInt(101)).id(id).build();
            case 2 -> Events.login(family).at(t).id(id).build();
            default -> Events.of("EmailOpened", family).at(t).id(id).build();
        };
    }

    /**
     * Arrival by (t + jitter), jitter uniform in [0, 5 s): an event arrives after one that is at most
     * 5 s − 1 ms later than it, so it is never behind the watermark (stream time − 5 s) when it arrives.
     */
    private static List<Event> shuffleWithinBound(List<Event> inOrder, Random random) {
        record Arrival(long atMs, Event event) {
        }
        List<Arrival> arrivals = new ArrayList<>();
        for (Event event : inOrder) {
            arrivals.add(new Arrival(event.eventTimestamp().toEpochMilli() + random.nextInt((int) BOUND.toMillis()), event));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::atMs).thenComparing(a -> a.event().eventId()));
        return arrivals.stream().map(Arrival::event).toList();
    }

    /**
     * The pipeline's loop: per event the tracker's watermark and the counter; at each batch end, onWatermark;
     * the batch's outcomes are written as their {@link CounterChanges}.
     */
    private static CounterProjection run(List<WindowSpec> specs, Duration lateness, List<Event> arrival, Random random, boolean batched) {
        return run(specs, lateness, arrival, random, batched, false);
    }

    /**
     * As {@link #run}, and with {@code restarts}: after each batch the families that changed are
     * snapshotted into a store (the checkpoint), and at random checkpoints the counter and tracker are
     * dropped and rebuilt from the store, as after a crash or a reassignment.
     */
    private static CounterProjection run(List<WindowSpec> specs, Duration lateness, List<Event> arrival, Random random,
                                         boolean batched, boolean restarts) {
        WatermarkTracker tracker = new WatermarkTracker(BOUND, Duration.ZERO, () -> Instant.EPOCH);
        WindowCounter counter = new WindowCounter(specs, lateness);
        CounterProjection projection = new CounterProjection();
        Map<String, WindowSnapshot> store = new HashMap<>();
        int i = 0;
        while (i < arrival.size()) {
            List<Outcome> batch = new ArrayList<>();
            int batchEnd = batched ? Math.min(arrival.size(), i + 1 + random.nextInt(64)) : i + 1;
            for (; i < batchEnd; i++) {
                Event event = arrival.get(i);
                batch.addAll(CounterProjection.requireOneCallPromise(counter.onEvent(event, tracker.onEvent(event.eventTimestamp()))));
            }
            batch.addAll(CounterProjection.requireOneCallPromise(counter.onWatermark(tracker.watermark())));
            projection.apply(CounterChanges.of(batch)); // the checkpoint writes the batch's net changes
            if (restarts) {
                for (String familyId : counter.takeChangedFamilies()) {
                    Optional<WindowSnapshot> snapshot = counter.snapshot(familyId);
                    snapshot.ifPresentOrElse(s -> store.put(familyId, s), () -> store.remove(familyId));
                }
                if (random.nextInt(4) == 0) {
                    tracker = WatermarkTracker.resume(tracker.streamTime(), tracker.watermark(), BOUND, Duration.ZERO, () -> Instant.EPOCH);
                    counter = new WindowCounter(specs, lateness);
                    projection.apply(counter.onWatermark(tracker.watermark()));
                    for (WindowSnapshot snapshot : store.values()) {
                        projection.apply(counter.restore(snapshot));
                    }
                }
            }
        }
        projection.apply(counter.onWatermark(END_OF_STREAM));
        return projection;
    }
}
