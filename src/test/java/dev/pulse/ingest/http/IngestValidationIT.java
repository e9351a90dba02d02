package dev.pulse.ingest.http;

import static dev.pulse.support.RecentDay.at;
import static dev.pulse.support.EventBodies.login;
import static dev.pulse.support.EventBodies.score;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;

/** {@code POST /api/events} against the real broker: what is kept, what is refused, and how (SPEC §1.3, §7). */
class IngestValidationIT extends PulseIT {

    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

    @Test
    void shouldKeepValidEventsOfMixedArrayAndListRejectedByIndex() {
        String family = uniqueFamily("mixed");
        String body = "[" + score(uniqueId("a"), family, at("09:00:00"), 80) + ","
                + "{\"event_id\": \"\", \"event_type\": \"UserLogin\", \"aggregate_id\": \"" + family + "\", \"event_timestamp\": \"" + at("09:00:00") + "\"},"
                + login(uniqueId("b"), family, at("09:05:00")) + ","
                + "{\"event_id\": \"x\", \"event_type\": \"PaymentReceived\", \"aggregate_id\": \"" + family + "\", \"event_timestamp\": \"" + at("09:00:00") + "\", \"event_data\": {\"amount\": \"10\"}},"
                + "42]";
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.ACCEPTED)
                .expectBody()
                .jsonPath("$.accepted").isEqualTo(2)
                .jsonPath("$.rejected.length()").isEqualTo(3)
                .jsonPath("$.rejected[0].index").isEqualTo(1)
                .jsonPath("$.rejected[0].error").isEqualTo("event_id: must be 1..100 characters, was 0")
                .jsonPath("$.rejected[1].index").isEqualTo(3)
                .jsonPath("$.rejected[1].error").isEqualTo("event_data.amount: must be a number, was a string")
                .jsonPath("$.rejected[2].index").isEqualTo(4)
                .jsonPath("$.rejected[2].error").isEqualTo("record: must be a JSON object, was an integer");

        Map<?, ?> row = Poll.until(Duration.ofSeconds(30), family, () -> find(family, 2));
        assertThat(row.get("current_engagement_score")).isEqualTo(80);
    }

    @Test
    void shouldAcceptNdjsonAndRejectBrokenLinesByPositionAmongNonBlankLines() {
        String family = uniqueFamily("ndjson");
        String body = score(uniqueId("a"), family, at("09:00:00"), 65) + "\n\n"
                + "{not json\n"
                + login(uniqueId("b"), family, at("09:01:00")) + "\n";
        http.post().uri("/api/events").contentType(NDJSON).bodyValue(body)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.ACCEPTED)
                .expectBody()
                .jsonPath("$.accepted").isEqualTo(2)
                .jsonPath("$.rejected[0].index").isEqualTo(1)
                .jsonPath("$.rejected[0].error").value(e -> assertThat((String) e).startsWith("record: not valid JSON"));
        Poll.until(Duration.ofSeconds(30), family, () -> find(family, 2));
    }

    static List<Arguments> badBodies() {
        return List.of(
                Arguments.of("malformed JSON", MediaType.APPLICATION_JSON, "{\"event_id\": ", "malformed JSON"),
                Arguments.of("not JSON at all", MediaType.APPLICATION_JSON, "hello", "malformed JSON"),
                Arguments.of("empty body", MediaType.APPLICATION_JSON, "", "no events"),
                Arguments.of("empty array", MediaType.APPLICATION_JSON, "[]", "no events"),
                Arguments.of("blank NDJSON", NDJSON, "\n \n", "no events"),
                Arguments.of("nothing valid", MediaType.APPLICATION_JSON, "[{\"event_id\": 1}]", "no valid events"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void shouldAnswer400WithReasonWhenNothingInBodyIsValid(String name, MediaType type, String body, String error) {
        http.post().uri("/api/events").contentType(type).bodyValue(body)
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.error").isEqualTo(error)
                .jsonPath("$.detail").isNotEmpty();
        assertServerStillAnswers();
    }

    @Test
    void shouldNameEveryRejectedRecordWhenNothingIsValid() {
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"event_id\": 1}, {\"event_id\": \"x\", \"event_type\": \"9bad\"}]")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.rejected[0].error").isEqualTo("event_id: must be a string, was an integer")
                .jsonPath("$.rejected[1].error").value(e -> assertThat((String) e).startsWith("event_type: must match"));
    }

    @Test
    void shouldAnswer413WithJsonErrorWhenBodyExceeds16MiBStreamedInChunks() {
        // 17 MiB of a valid-looking array, sent chunked (no Content-Length), so the limit is found while streaming.
        byte[] chunk = ("[" + " ".repeat(1024 * 1024 - 1)).getBytes(StandardCharsets.UTF_8);
        byte[] spaces = new byte[1024 * 1024];
        Arrays.fill(spaces, (byte) ' ');
        DefaultDataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;
        Flux<DataBuffer> body = Flux.range(0, 17).map(i -> buffers.wrap(i == 0 ? chunk : spaces));
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON)
                .body(body, DataBuffer.class)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectBody()
                .jsonPath("$.error").isEqualTo("payload too large")
                .jsonPath("$.detail").isEqualTo("request body exceeds 16777216 bytes");
        assertServerStillAnswers();
    }

    @Test
    void shouldAccept16MiBBodyExactlyAtTheLimit() {
        String family = uniqueFamily("atlimit");
        String event = login(uniqueId("big"), family, at("09:00:00"));
        int padding = 16 * 1024 * 1024 - event.length() - 2;
        String body = "[" + event + " ".repeat(padding) + "]";
        assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(16 * 1024 * 1024);
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.ACCEPTED)
                .expectBody().jsonPath("$.accepted").isEqualTo(1);
    }

    private void assertServerStillAnswers() {
        http.get().uri("/api/families?limit=1").exchange().expectStatus().isOk();
    }

    private Map<?, ?> find(String family, int expectedEvents) {
        Map<?, ?> row = familyOrNull(family);
        return row != null && ((Number) row.get("events_processed")).intValue() == expectedEvents ? row : null;
    }
}
