package dev.pulse.stream.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdTableTest {

    private record Item(String id, int n) {
    }

    @Test
    void holdsWhatAHashMapHoldsThroughRandomPutsAndRemoves() {
        // Few distinct ids, many operations: runs collide, grow and shrink by removal, so backward shifts get exercised.
        Random random = new Random(7);
        IdTable<Item> table = new IdTable<>(Item::id);
        Map<String, Item> expected = new HashMap<>();
        for (int step = 0; step < 60_000; step++) {
            String id = "family-" + random.nextInt(step < 30_000 ? 1_000 : 100);
            if (random.nextInt(3) == 0) {
                assertThat(table.remove(id)).isEqualTo(expected.remove(id));
            } else {
                Item item = new Item(id, step);
                assertThat(table.put(item)).isEqualTo(expected.put(id, item));
            }
            if (step % 5_000 == 0) {
                assertThat(table.size()).isEqualTo(expected.size());
                assertThat(table.values()).containsExactlyInAnyOrderElementsOf(expected.values());
                assertThat(table.ids()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            }
        }
        for (int n = 0; n < 1_000; n++) {
            String id = "family-" + n;
            assertThat(table.get(id)).isEqualTo(expected.get(id));
            assertThat(table.containsKey(id)).isEqualTo(expected.containsKey(id));
        }
        assertThat(table.size()).isEqualTo(expected.size());
    }

    @Test
    void findsValuesWhoseHashesCollide() {
        // "Aa" and "BB" have one hash code: both are held, found and removed apart.
        IdTable<Item> table = new IdTable<>(Item::id);
        table.put(new Item("Aa", 1));
        table.put(new Item("BB", 2));
        assertThat(table.get("Aa").n()).isEqualTo(1);
        assertThat(table.get("BB").n()).isEqualTo(2);
        assertThat(table.remove("Aa").n()).isEqualTo(1);
        assertThat(table.get("Aa")).isNull();
        assertThat(table.get("BB").n()).isEqualTo(2);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void keepsLookupsShortWhenIdsAreMadeToShareOneHashCode() {
        // "Aa" and "BB" have the same String.hashCode, so every string of 12 such pairs does: 4,096 ids, one hash.
        List<String> ids = new ArrayList<>(List.of(""));
        for (int pair = 0; pair < 12; pair++) {
            List<String> longer = new ArrayList<>();
            for (String id : ids) {
                longer.add(id + "Aa");
                longer.add(id + "BB");
            }
            ids = longer;
        }
        assertThat(ids.stream().mapToInt(String::hashCode).distinct().count()).isEqualTo(1);
        AtomicLong comparisons = new AtomicLong();
        IdTable<Item> table = new IdTable<>(item -> {
            comparisons.incrementAndGet();
            return item.id();
        });
        for (int n = 0; n < ids.size(); n++) {
            table.put(new Item(ids.get(n), n));
        }
        comparisons.set(0);
        for (int n = 0; n < ids.size(); n++) {
            assertThat(table.get(ids.get(n))).isEqualTo(new Item(ids.get(n), n));
        }
        // Probing one run of 4,096 equal hashes would compare about 2,048 ids per lookup.
        assertThat(comparisons.get() / ids.size()).as("ids compared per lookup").isLessThanOrEqualTo(IdTable.MAX_PROBE);

        for (int n = 0; n < ids.size(); n += 2) {
            assertThat(table.remove(ids.get(n))).isEqualTo(new Item(ids.get(n), n));
        }
        assertThat(table.size()).isEqualTo(ids.size() / 2);
        assertThat(table.get(ids.get(0))).isNull();
        assertThat(table.put(new Item(ids.get(1), -1))).isEqualTo(new Item(ids.get(1), 1));
        assertThat(table.ids()).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.range(0, ids.size()).filter(n -> n % 2 == 1).mapToObj(ids::get).toList());
        assertThat(table.values()).contains(new Item(ids.get(1), -1)).hasSize(ids.size() / 2);
    }

    @Test
    void staysATableForWellSpreadIds() {
        AtomicLong comparisons = new AtomicLong();
        IdTable<Item> table = new IdTable<>(item -> {
            comparisons.incrementAndGet();
            return item.id();
        });
        for (int n = 0; n < 200_000; n++) {
            table.put(new Item("family-" + n, n));
        }
        comparisons.set(0);
        for (int n = 0; n < 200_000; n++) {
            assertThat(table.get("family-" + n).n()).isEqualTo(n);
        }
        // A table compares an id once per lookup here (its hash is checked first); the HashMap fallback would not call idOf.
        assertThat(comparisons.get()).as("ids compared, one per lookup: still the table").isEqualTo(200_000);
    }

    @Test
    void prefetchHandsOverTheValueAGetFindsWithoutComparingIds() {
        IdTable<Item> table = new IdTable<>(item -> {
            throw new AssertionError("prefetch compared ids");
        });
        String[] ids = new String[64];
        for (int n = 0; n < ids.length; n++) {
            ids[n] = "family-" + n;
        }
        Object[] out = new Object[ids.length];
        table.prefetch(ids, ids.length, out);
        assertThat(out).as("an empty table holds nothing to read").containsOnlyNulls();

        IdTable<Item> held = new IdTable<>(Item::id);
        for (int n = 0; n < 1_000; n++) {
            held.put(new Item("family-" + n, n));
        }
        held.prefetch(ids, ids.length, out);
        for (int n = 0; n < ids.length; n++) {
            assertThat(out[n]).as(ids[n]).isSameAs(held.get(ids[n]));
        }
        String[] absent = {"nobody", "family-5000"};
        held.prefetch(absent, absent.length, out);
        for (int n = 0; n < absent.length; n++) {
            // Null, or a held value whose id has the same hash: no such pair among these ids.
            assertThat(out[n]).as(absent[n]).isNull();
        }
    }

    @Test
    void prefetchOfColliderHashesHandsOverAValueOfThatHash() {
        IdTable<Item> table = new IdTable<>(Item::id);
        table.put(new Item("Aa", 1));
        table.put(new Item("BB", 2));
        Object[] out = new Object[2];
        table.prefetch(new String[] {"Aa", "BB"}, 2, out);
        // Ids are not compared: both find the first value of their shared hash, which a get would read first too.
        assertThat(out[0]).isSameAs(out[1]).isIn(table.get("Aa"), table.get("BB"));
    }
}
