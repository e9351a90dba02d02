package dev.pulse.event;

import static dev.pulse.support.RecentDay.at;
import dev.pulse.support.TestCredentials;
import static dev.pulse.support.EventBodies.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.Poll;
import dev.pulse.support.PulseServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Schema evolution through the real broker and database (SPEC §3.6): a family whose stream mixes versions 1 and 2
 * ends with exactly the metrics, counters and detections of its all-version-1 twin, field by field; a version that
 * is not supported is refused naming the type and the version. A stream of its own ({@link PulseServer}), both
 * families' events sent in event-time order, so that no event of either is late for the other's partition.
 */
class SchemaVersionsIT {

    private static final PulseServer SERVER = PulseServer.fresh("versions", Map.of());
    private static WebTestClient http;

    @BeforeAll
    static void start() {
        SERVER.start();
        http = TestCredentials.http(SERVER.baseUrl()).responseTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    @Test
    void shouldGiveAMixedVersionStreamExactlyTheResultsOfItsAllVersionOneTwin() {
        String v1 = uniqueFamily("versions-one");
        String mixed = uniqueFamily("versions-mixed");
        List<String> both = new ArrayList<>(stream(v1, false));
        both.addAll(stream(mixed, true));
        both.sort(Comparator.comparing(e -> e.replaceAll(".*\"event_timestamp\": \"([^\"]+)\".*", "$1")));
        post("[" + String.join(",", both) + "]", 10);

        Map<String, Object> one = settled(v1);
        Map<String, Object> two = settled(mixed);
        assertThat(withoutIdentity(two)).as("metrics, field by field").isEqualTo(withoutIdentity(one));
        assertThat(rows("/api/families/{id}/counters?limit=1000", mixed)).as("counters")
                .isEqualTo(rows("/api/families/{id}/counters?limit=1000", v1));
        List<Map<String, Object>> detections = rows("/api/detections?family_id={id}&status=all", mixed);
        assertThat(detections).extracting(d -> d.get("pattern")).as("the duplicate charge and the rapid drop, read from version 2")
                .contains("duplicate_payment", "engagement_rapid_drop");
        assertThat(detections).extracting(d -> d.get("pattern"), d -> d.get("severity"), d -> d.get("detected_at"))
                .containsExactlyInAnyOrderElementsOf(rows("/api/detections?family_id={id}&status=all", v1).stream()
                        .map(d -> org.assertj.core.groups.Tuple.tuple(d.get("pattern"), d.get("severity"), d.get("detected_at"))).toList());
    }

    @Test
    void shouldRefuseAnUnsupportedVersionNamingTheTypeAndTheVersion() {
        String family = uniqueFamily("versions-future");
        // A day before the twins' stream: on a partition they share, this test's watermark must not make them late.
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[" + versioned(uniqueId("p"), "PaymentReceived", family, at(-1, "09:00:00"), 3, "{\"amount_cents\": 100}") + ","
                        + versioned(uniqueId("p"), "PaymentReceived", family, at(-1, "09:01:00"), 2, "{\"amount_cents\": 100}") + "]")
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED)
                .expectBody()
                .jsonPath("$.accepted").isEqualTo(1)
                .jsonPath("$.rejected[0].index").isEqualTo(0)
                .jsonPath("$.rejected[0].error").value(error -> assertThat((String) error)
                        .contains("schema_version").contains("version 3 of PaymentReceived is not supported"));
    }

    /** Scores falling 85 → 50 in 4 minutes (a rapid drop), a payment charged twice, a login; version 2 where {@code mixed}. */
    private static List<String> stream(String family, boolean mixed) {
        return List.of(
                mixed ? versioned("a-" + family, "EngagementScoreUpdated", family, at("08:00:00"), 2, "{\"score\": 85}")
                        : event("a-" + family, "EngagementScoreUpdated", family, at("08:00:00"), "{\"new_score\": 85}"),
                event("b-" + family, "EngagementScoreUpdated", family, at("08:04:00"), "{\"new_score\": 50}"),
                mixed ? versioned("c-" + family, "PaymentReceived", family, at("09:00:00"), 2, "{\"amount_cents\": 4599, \"currency\": \"EUR\"}")
                        : event("c-" + family, "PaymentReceived", family, at("09:00:00"), "{\"amount\": 45.99, \"currency\": \"EUR\"}"),
                event("d-" + family, "PaymentReceived", family, at("09:02:00"), "{\"amount\": 45.99, \"currency\": \"EUR\"}"),
                event("e-" + family, "UserLogin", family, at("09:05:00"), "{}"));
    }

    private static String versioned(String id, String type, String family, String time, int version, String data) {
        return event(id, type, family, time, data).replace("\"schema_version\": 1", "\"schema_version\": " + version);
    }

    private static void post(String body, int accepted) {
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED)
                .expectBody().jsonPath("$.accepted").isEqualTo(accepted);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> familyOrNull(String family) {
        var result = http.get().uri("/api/families/{id}", family).exchange().expectBody(Map.class).returnResult();
        return result.getStatus().value() == 200 ? (Map<String, Object>) result.getResponseBody() : null;
    }

    private static String uniqueFamily(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String uniqueId(String name) {
        return name + "-" + UUID.randomUUID();
    }

    private Map<String, Object> settled(String family) {
        return Poll.until(Duration.ofSeconds(30), "all five events of " + family, () -> {
            Map<String, Object> row = familyOrNull(family);
            return row != null && Integer.valueOf(5).equals(row.get("events_processed")) ? row : null;
        });
    }

    private static Map<String, Object> withoutIdentity(Map<String, Object> row) {
        Map<String, Object> out = new HashMap<>(row);
        out.remove("family_id");
        out.remove("last_updated");
        return out;
    }

    /** Rows of a list answer, without what names the family or the wall-clock time of the write. */
    private List<Map<String, Object>> rows(String uri, String family) {
        List<Map<String, Object>> found = http.get().uri(uri, family).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {
                }).returnResult().getResponseBody();
        return found.stream().map(r -> {
            Map<String, Object> out = new HashMap<>(r);
            out.remove("family_id");
            out.remove("updated_at");
            return out;
        }).toList();
    }
}
