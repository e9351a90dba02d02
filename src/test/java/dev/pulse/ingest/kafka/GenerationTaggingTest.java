package dev.pulse.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class GenerationTaggingTest {

    @Test
    void shouldTagEachDecodedValueWithTheGenerationCurrentWhenItWasDecoded() {
        AtomicLong generation = new AtomicLong(1);
        GenerationTagging<String> tagging = new GenerationTagging<>(new StringDeserializer(), generation::get);

        GenerationTagging.Tagged<String> before = tagging.deserialize("t", "a".getBytes(StandardCharsets.UTF_8));
        generation.incrementAndGet();   // an assignment callback ran inside the next poll
        GenerationTagging.Tagged<String> after = tagging.deserialize("t", "b".getBytes(StandardCharsets.UTF_8));

        assertThat(before).isEqualTo(new GenerationTagging.Tagged<>("a", 1L));
        assertThat(after).isEqualTo(new GenerationTagging.Tagged<>("b", 2L));
    }
}
