package dev.pulse.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.family.FamilyMetrics;
import dev.pulse.stream.window.CounterRow;
import dev.pulse.stream.window.WindowSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The engine reads each group of {@link ReadAhead#GROUP} events' family state ahead of applying them. What it reads
 * ahead only warms the cache: these are the states where a guess is wrong or a part is missing, and the engine's
 * results must be those of each family's own events all the same.
 */
class ReadAheadTest {

    private static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.EPOCH);

    /** 2^bits ids of one {@code String.hashCode}: "Aa" and "BB" hash alike, and so does every string of such pairs. */
    private static List<String> collidingIds(int bits) {
        List<String> ids = new ArrayList<>(List.of("family-"));
        for (int pair = 0; pair < bits; pair++) {
            List<String> longer = new ArrayList<>();
            for (String id : ids) {
                longer.add(id + "Aa");
                longer.add(id + "BB");
            }
            ids = longer;
        }
        return ids;
    }

    /** Two logins and a score per family, shuffled within the out-of-orderness bound by a seeded shuffle. */
    private static List<Event> stream(List<String> families, long seed) {
        List<Event> events = new ArrayList<>();
        for (int n = 0; n < families.size(); n++) {
            String family = families.get(n);
            Instant at = T0.plusMillis(n);
            events.add(Events.login(family).at(at).id(family + "-a").build());
            events.add(Events.login(family).at(at.plusMillis(1)).id(family + "-b").build());
            events.add(Events.score(family).at(at.plusMillis(2)).score(n % 101).id(family + "-s").build());
        }
        Collections.shuffle(events, new Random(seed));
        return events;
    }

    private static Map<String, FamilyMetrics> lastMetrics(PartitionEngine engine, List<Event> events, int batch,
                                                          List<CounterRow> counters) {
        Map<String, FamilyMetrics> last = new HashMap<>();
        for (int i = 0; i < events.size(); i += batch) {
            EngineOutput out = engine.apply(new LinkedList<>(events.subList(i, Math.min(events.size(), i + batch))));
            out.metrics().forEach(m -> last.put(m.familyId(), m));
            counters.addAll(out.counters().upserts());
        }
        return last;
    }

    @Test
    void familiesWhoseIdsShareOneHashKeepTheirOwnState() {
        // 512 ids of one hash: the engine's table of families gives way to a HashMap, where nothing is read ahead,
        // and before that every guess by hash alone finds another family's state.
        List<String> families = collidingIds(9);
        long seed = 12;
        List<Event> events = stream(families, seed);
        List<CounterRow> counters = new ArrayList<>();
        Map<String, FamilyMetrics> metrics = lastMetrics(PartitionEngine.fresh(EngineSettings.defaults(), CLOCK), events,
                100, counters);

        assertThat(metrics).as("seed " + seed).hasSize(families.size());
        for (int n = 0; n < families.size(); n++) {
            FamilyMetrics m = metrics.get(families.get(n));
            assertThat(m.eventsProcessed()).as(families.get(n)).isEqualTo(3);
            assertThat(m.currentEngagementScore()).as(families.get(n)).isEqualTo(n % 101);
            assertThat(m.loginsLast7Days()).as(families.get(n)).isEqualTo(2);
        }
        // Each family's one-minute login counters add up to its two logins.
        Map<String, Long> logins = new HashMap<>();
        counters.stream().filter(r -> r.key().eventType().equals("UserLogin") && r.key().spec().equals(WindowSpec.DEFAULTS.get(0)))
                .forEach(r -> logins.merge(r.key().familyId() + " " + r.key().window(), r.eventCount(), Math::max));
        Map<String, Long> perFamily = new HashMap<>();
        logins.forEach((key, count) -> perFamily.merge(key.substring(0, key.indexOf(' ')), count, Long::sum));
        assertThat(perFamily).hasSize(families.size()).allSatisfy((family, count) -> assertThat(count).isEqualTo(2));
    }

    @Test
    void anEngineWithoutWindowCountersAndNewFamiliesInEveryGroupGivesEachFamilyItsEvents() {
        // New families throughout: a group's guesses find no state, or another family's, for most of its events.
        List<String> families = new ArrayList<>();
        for (int n = 0; n < 3 * ReadAhead.GROUP + 7; n++) {
            families.add("family-" + n);
        }
        long seed = 5;
        List<Event> events = stream(families, seed);
        List<CounterRow> counters = new ArrayList<>();
        PartitionEngine engine = PartitionEngine.fresh(EngineSettings.defaults().withWindows(List.of()), CLOCK);
        Map<String, FamilyMetrics> metrics = lastMetrics(engine, events, ReadAhead.GROUP + 3, counters);

        assertThat(counters).isEmpty();
        assertThat(metrics).as("seed " + seed).hasSize(families.size());
        for (int n = 0; n < families.size(); n++) {
            assertThat(metrics.get(families.get(n)).eventsProcessed()).as(families.get(n)).isEqualTo(3);
            assertThat(metrics.get(families.get(n)).currentEngagementScore()).as(families.get(n)).isEqualTo(n % 101);
        }
        assertThat(Duration.between(T0, engine.streamTime().instant())).isLessThan(Duration.ofSeconds(1));
    }
}
