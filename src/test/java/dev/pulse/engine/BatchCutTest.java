package dev.pulse.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.family.FamilyMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where micro-batches cut the same arrival sequence must not show in any row, {@code as_of} included:
 * a family's last row is computed as of the arrival that last changed it (its own event, or the arrival
 * that moved stream time past one of its expiries), never as of wherever its batch happened to end. The
 * crash test found the difference: a restart cuts batches elsewhere.
 */
class BatchCutTest {

    private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void shouldGiveEveryFamilyTheSameLastRowWhereverBatchesAreCut(long seed) {
        List<Event> arrivals = arrivals(new Random(seed));

        Map<String, FamilyMetrics> oneByOne = lastRows(arrivals, new Random(0), 1, 1);
        Map<String, FamilyMetrics> large = lastRows(arrivals, new Random(0), 2_000, 2_000);
        Map<String, FamilyMetrics> random = lastRows(arrivals, new Random(seed), 1, 400);

        assertThat(large).as("seed %d: batches of 2,000 against one event per batch", seed).isEqualTo(oneByOne);
        assertThat(random).as("seed %d: random cuts against one event per batch", seed).isEqualTo(oneByOne);
        assertThat(oneByOne.values()).as("the rows were recomputed after their last event").anyMatch(m -> m.asOf().isAfter(m.lastEventTimestamp()));
    }

    @Test
    void shouldComputeAFamilyAsOfTheLaterArrivalInItsBatchThatMovesStreamTimeOntoItsExpiry() {
        // family-a's score leaves its 7-day range exactly when family-b's event arrives, after family-a's last arrival
        // of the batch: family-a's row is as of that arrival, as with one event per batch.
        Event score = Events.score("family-a").id("s").at(START).score(80).build();
        Event ownLast = Events.login("family-a").id("a").at(START.plus(Duration.ofDays(7)).minusSeconds(60)).build();
        Event other = Events.login("family-b").id("b").at(START.plus(Duration.ofDays(7))).build();

        PartitionEngine batched = PartitionEngine.fresh(EngineSettings.defaults(), InstantSource.fixed(START));
        batched.apply(List.of(score));
        FamilyMetrics inBatch = rowOf("family-a", batched.apply(List.of(ownLast, other)));
        PartitionEngine single = PartitionEngine.fresh(EngineSettings.defaults(), InstantSource.fixed(START));
        single.apply(List.of(score));
        single.apply(List.of(ownLast));
        FamilyMetrics oneByOne = rowOf("family-a", single.apply(List.of(other)));

        assertThat(inBatch.asOf()).isEqualTo(other.eventTimestamp());
        assertThat(inBatch).isEqualTo(oneByOne);
        assertThat(inBatch.eventsLast7Days()).as("the score left the range").isEqualTo(1);
    }

    private static FamilyMetrics rowOf(String family, EngineOutput output) {
        return output.metrics().stream().filter(m -> m.familyId().equals(family)).findFirst().orElseThrow();
    }

    /** 20 families over 45 days, so events leave the 7- and 30-day ranges while others arrive. */
    private static List<Event> arrivals(Random random) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            String family = "family-" + random.nextInt(20);
            Instant t = START.plus(Duration.ofMinutes(21L * i)).minusSeconds(random.nextInt(4));
            String id = "e-" + i;
            events.add(switch (random.nextInt(3)) {
                case 0 -> Events.score(family).id(id).at(t).score(random.nextInt(101)).build();
                case 1 -> Events.payment(family).id(id).at(t).build();
                default -> Events.login(family).id(id).at(t).build();
            });
        }
        return events;
    }

    private static Map<String, FamilyMetrics> lastRows(List<Event> arrivals, Random cuts, int min, int max) {
        PartitionEngine engine = PartitionEngine.fresh(EngineSettings.defaults(), InstantSource.fixed(START));
        Map<String, FamilyMetrics> last = new HashMap<>();
        int next = 0;
        while (next < arrivals.size()) {
            int size = min + cuts.nextInt(max - min + 1);
            List<Event> batch = arrivals.subList(next, Math.min(arrivals.size(), next + size));
            next += batch.size();
            engine.apply(batch).metrics().forEach(m -> last.put(m.familyId(), m));
        }
        return last;
    }
}
