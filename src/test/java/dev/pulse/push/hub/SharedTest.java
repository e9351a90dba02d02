package dev.pulse.push.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A value handed to every client is encoded once, however many clients ask for its JSON. */
class SharedTest {

    @Test
    void shouldEncodeOnceAndAnswerTheSameTextToEveryLaterCaller() {
        AtomicInteger encodings = new AtomicInteger();
        Shared<String> shared = new Shared<>("family-1");
        for (int client = 0; client < 100; client++) {
            byte[] json = shared.json(v -> ("\"" + v + "#" + encodings.incrementAndGet() + "\"").getBytes(StandardCharsets.UTF_8));
            assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("\"family-1#1\"");
        }
        assertThat(encodings).hasValue(1);
    }

    @Test
    void shouldBeEqualByValueSoHubUpdatesCompareByContent() {
        assertThat(new Shared<>("a")).isEqualTo(new Shared<>("a")).hasSameHashCodeAs(new Shared<>("a"))
                .isNotEqualTo(new Shared<>("b"));
    }
}
