package dev.pulse.api;

import static dev.pulse.support.EventBodies.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * SPEC §3.6 through the whole pipeline: a family sent in schema version 2 ends with the same metrics and
 * counter rows as its twin sent in version 1, and an unsupported version is refused naming type and version.
 */
class SchemaVersionIT extends PulseIT {

    /**
     * After every partition's stream time, as CountersEndToEndIT explains: counter windows must not be late. A base
     * from the wall clock alone (the next hour but one) fell behind other tests' events near the end of an hour.
     */
    private Instant base;

    @BeforeEach
    void aheadOfEveryStreamTime() {
        base = latestStreamTime().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(2));
    }

    @Test
    void shouldGiveAVersionTwoFamilyTheRowsOfItsVersionOneTwin() {
        String v1 = uniqueFamily("v1-twin");
        String v2 = uniqueFamily("v2");
        // Twins interleaved in time order: the first of a pair must not move the watermark past the other's windows.
        List<String> first = events(v1, 1);
        List<String> second = events(v2, 2);
        List<String> interleaved = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            interleaved.add(first.get(i));
            interleaved.add(second.get(i));
        }
        post(String.join(",", interleaved));

        Map<String, Object> expected = Poll.until(Duration.ofSeconds(30), v1 + " complete", () -> complete(v1));
        Map<String, Object> actual = Poll.until(Duration.ofSeconds(30), v2 + " complete", () -> complete(v2));

        // as_of and is_final follow the partition's stream time, which other families move: not part of the comparison
        assertThat(without(actual, "family_id", "last_updated", "as_of")).isEqualTo(without(expected, "family_id", "last_updated", "as_of"));
        assertThat(expected).containsEntry("current_engagement_score", 40).containsEntry("payments_last_7_days", 2);
        assertThat(counters(v2)).isEqualTo(counters(v1));
        assertThat(counters(v1)).isNotEmpty();
    }

    @Test
    void shouldRefuseAnUnsupportedVersionNamingTypeAndVersion() {
        String body = event(uniqueId("v3"), "PaymentReceived", uniqueFamily("v3"), base.toString(), "{\"amount_cents\": 100}")
                .replace("\"schema_version\": 1", "\"schema_version\": 3");

        String answer = http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isBadRequest().expectBody(String.class).returnResult().getResponseBody();

        assertThat(answer).contains("version 3 of PaymentReceived is not supported (supported: 1..2)");
    }

    /** Two scores and two payments, written in {@code version}; ids differ between the twins. */
    private List<String> events(String family, int version) {
        List<String> bodies = new ArrayList<>();
        String scoreField = version == 1 ? "new_score" : "score";
        bodies.add(versioned(event(family + "-s1", "EngagementScoreUpdated", family, at("5M"), "{\"" + scoreField + "\": 75}"), version));
        bodies.add(versioned(event(family + "-s2", "EngagementScoreUpdated", family, at("6M"), "{\"" + scoreField + "\": 40}"), version));
        String first = version == 1 ? "{\"amount\": 450.00, \"currency\": \"EUR\"}" : "{\"amount_cents\": 45000, \"currency\": \"EUR\"}";
        String second = version == 1 ? "{\"amount\": 12.34, \"currency\": \"EUR\"}" : "{\"amount_cents\": 1234, \"currency\": \"EUR\"}";
        bodies.add(versioned(event(family + "-p1", "PaymentReceived", family, at("7M"), first), version));
        bodies.add(versioned(event(family + "-p2", "PaymentReceived", family, at("8M"), second), version));
        return bodies;
    }

    private static String versioned(String body, int version) {
        return body.replace("\"schema_version\": 1", "\"schema_version\": " + version);
    }

    private String at(String minutes) {
        return base.plus(Duration.parse("PT" + minutes)).toString();
    }

    private Map<String, Object> complete(String family) {
        Map<String, Object> row = familyOrNull(family);
        return row != null && Integer.valueOf(4).equals(row.get("events_processed")) ? row : null;
    }

    private static Map<String, Object> without(Map<String, Object> row, String... keys) {
        Map<String, Object> copy = new java.util.HashMap<>(row);
        for (String key : keys) {
            copy.remove(key);
        }
        return copy;
    }

    private List<Map<String, Object>> counters(String family) {
        List<Map<String, Object>> rows = http.get().uri("/api/families/" + family + "/counters").exchange()
                .expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {
                }).returnResult().getResponseBody();
        return rows.stream().map(r -> without(r, "family_id", "updated_at", "is_final")).toList();
    }

    private void post(String joined) {
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue("[" + joined + "]")
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }
}
