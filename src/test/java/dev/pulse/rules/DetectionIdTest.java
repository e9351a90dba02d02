package dev.pulse.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Detection ids are stored and compared across restarts, replays and versions (SPEC §3.3, §7): the same three parts
 * must always give the same id. The expected ids were made by the first implementation, which hashed
 * {@code Integer.toString(len) + ":" + UTF-8 bytes} for each part with a fresh {@code MessageDigest}.
 */
class DetectionIdTest {

    @Test
    void shouldGiveTheIdsStoredByEarlierVersions() {
        assertThat(DetectionId.of("duplicate_payment", "fam-1", "evt-42")).isEqualTo("ed2f5d6c24aa095acd22b0fcba2ea3b2");
        assertThat(DetectionId.of("", "", "")).isEqualTo("63cab8e921e413242a44bf4e8fdc999d");
    }

    @Test
    void shouldHashNonAsciiPartsAsUtf8WithTheirByteLength() {
        assertThat(DetectionId.of("engagement_alert", "famille-é", "ÿ-🙂")).isEqualTo("119ce22810a50334fd1e5e1efea5c089");
    }

    @Test
    void shouldNotLetPartsCollideByConcatenation() {
        assertThat(DetectionId.of("ab", "c", "d")).isEqualTo("6e73693b49b937026f2172cc51666431");
        assertThat(DetectionId.of("a", "bc", "d")).isEqualTo("804e34a7d2df7522b77ec933f2e0b140");
    }

    @Test
    void shouldHashPartsLongerThanItsBuffer() {
        assertThat(DetectionId.of("x".repeat(300), "f", "y".repeat(1000))).isEqualTo("7244fb50ce3db94c4f4c796158593ab3");
        // and a short one right after gives its own id, not one mixed with the long parts' bytes
        assertThat(DetectionId.of("duplicate_payment", "fam-1", "evt-42")).isEqualTo("ed2f5d6c24aa095acd22b0fcba2ea3b2");
    }

    @Test
    void shouldGiveTheSameIdOnEveryThread() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                ids.add(pool.submit(() -> DetectionId.of("rapid_payments", "fam-" + (n % 4), "evt-" + (n % 4))));
            }
            for (int i = 0; i < ids.size(); i++) {
                assertThat(ids.get(i).get()).isEqualTo(DetectionId.of("rapid_payments", "fam-" + (i % 4), "evt-" + (i % 4)));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
