package dev.pulse.push.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** NOTIFY payloads of one message: each under PostgreSQL's 8000-byte limit, valid text, and reassembled exactly. */
class NotifyChunksTest {

    @Test
    void shouldSendASmallMessageAsOneChunk() {
        List<String> payloads = NotifyChunks.split("a1.1", "{\"metrics\":[]}", NotifyChunks.MAX_PAYLOAD_BYTES);

        assertThat(payloads).containsExactly("a1.1:0/1:{\"metrics\":[]}");
        assertThat(new NotifyChunks.Reassembly(4).accept(payloads.get(0))).contains("{\"metrics\":[]}");
    }

    static Stream<Long> seeds() {
        return LongStream.range(0, 40).boxed();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void shouldKeepEveryPayloadUnderTheLimitAndReassembleTheMessageExactlyWhenItHoldsMultiByteText(long seed) {
        Random random = new Random(seed);
        String message = text(random, 5_000 + random.nextInt(60_000));
        int maxBytes = 64 + random.nextInt(NotifyChunks.MAX_PAYLOAD_BYTES - 64);

        List<String> payloads = NotifyChunks.split("f00d.2a", message, maxBytes);

        assertThat(payloads).as("seed %d", seed).allSatisfy(p -> {
            assertThat(p.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(maxBytes);
            // a cut inside a code point would leave a lone surrogate or a replacement character
            assertThat(p).doesNotContain("\uFFFD");
            assertThat(new String(p.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(p);
        });
        NotifyChunks.Reassembly reassembly = new NotifyChunks.Reassembly(4);
        List<String> completed = new ArrayList<>();
        payloads.forEach(p -> reassembly.accept(p).ifPresent(completed::add));
        assertThat(completed).as("seed %d", seed).containsExactly(message);
        assertThat(reassembly.unfinished()).isZero();
    }

    @Test
    void shouldUseTheWholeLimitOfTheDefaultPayloadSize() {
        String message = "x".repeat(3 * NotifyChunks.MAX_PAYLOAD_BYTES);

        List<String> payloads = NotifyChunks.split("id", message, NotifyChunks.MAX_PAYLOAD_BYTES);

        assertThat(payloads).hasSize(4);
        assertThat(payloads.get(0).length()).isGreaterThan(NotifyChunks.MAX_PAYLOAD_BYTES - 20)
                .isLessThan(8000);
    }

    @Test
    void shouldReassembleMessagesWhoseChunksInterleaveAndArriveOutOfOrder() {
        List<String> a = NotifyChunks.split("a", "é".repeat(300), 100);
        List<String> b = NotifyChunks.split("b", "ü".repeat(300), 100);
        List<String> mixed = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i < b.size()) {
                mixed.add(b.get(b.size() - 1 - i));
            }
            if (i < a.size()) {
                mixed.add(a.get(i));
            }
        }
        NotifyChunks.Reassembly reassembly = new NotifyChunks.Reassembly(4);

        List<String> completed = mixed.stream().map(reassembly::accept).flatMap(Optional::stream).toList();

        assertThat(completed).containsExactlyInAnyOrder("é".repeat(300), "ü".repeat(300));
    }

    @Test
    void shouldNeverCompleteAMessageWhoseHeadWasMissedAndForgetTheOldestUnfinishedOnes() {
        NotifyChunks.Reassembly reassembly = new NotifyChunks.Reassembly(2);
        // a listener that connected mid-message hears only the tails of three messages
        for (String id : List.of("m1", "m2", "m3")) {
            List<String> chunks = NotifyChunks.split(id, "y".repeat(500), 100);
            chunks.subList(1, chunks.size()).forEach(c -> assertThat(reassembly.accept(c)).isEmpty());
        }

        assertThat(reassembly.unfinished()).isEqualTo(2);
        List<String> whole = NotifyChunks.split("m4", "z".repeat(500), 100);
        List<String> completed = whole.stream().map(reassembly::accept).flatMap(Optional::stream).toList();
        assertThat(completed).containsExactly("z".repeat(500));
    }

    @Test
    void shouldCountAndSkipPayloadsThatAreNotChunks() {
        NotifyChunks.Reassembly reassembly = new NotifyChunks.Reassembly(2);

        Stream.of("", "hello", "x:1/1:text", "x:a/2:text", "x:0/0:", ":0/1:text")
                .forEach(p -> assertThat(reassembly.accept(p)).as(p).isEmpty());

        assertThat(reassembly.malformed()).isEqualTo(6);
        assertThat(reassembly.accept("ok:0/1:text")).contains("text");
    }

    @Test
    void shouldRefuseAMessageIdThatWouldBreakTheHeader() {
        assertThatThrownBy(() -> NotifyChunks.split("a:b", "m", 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("messageId");
        assertThatThrownBy(() -> NotifyChunks.split("ok", "m", 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytes");
    }

    /** Text mixing 1-, 2-, 3- and 4-byte UTF-8 code points, so that cuts fall everywhere. */
    private static String text(Random random, int codePoints) {
        int[] alphabet = {'a', '"', '{', 'é', 'ß', '€', '中', 0x1F600, 0x1D11E};
        StringBuilder sb = new StringBuilder();
        IntStream.range(0, codePoints).forEach(i -> sb.appendCodePoint(alphabet[random.nextInt(alphabet.length)]));
        return sb.toString();
    }
}
