package dev.pulse.stream.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
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
}
