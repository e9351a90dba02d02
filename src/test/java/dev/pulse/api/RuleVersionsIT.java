package dev.pulse.api;

import static dev.pulse.support.RecentDay.at;
import static dev.pulse.support.EventBodies.payment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.projection.ActiveRules;
import dev.pulse.projection.RuleVersions;
import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * SPEC §4.1 rule changes against the real broker and database: {@code PUT /api/rules} validates, stores a version
 * and switches the running lanes to it; every version is listed; detections name the version that produced them.
 * The application context is shared with the other ITs, so each test puts the rule set it found back.
 */
class RuleVersionsIT extends PulseIT {

    private static final ParameterizedTypeReference<Map<String, Object>> OBJECT = new ParameterizedTypeReference<>() {
    };
    private static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() {
    };

    private Map<String, Object> original;

    @Autowired
    private RuleVersions store;

    @BeforeEach
    void remember() {
        original = rules();
    }

    @AfterEach
    void restore() {
        http.put().uri("/api/rules").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("patterns", original.get("patterns")))
                .exchange().expectStatus().isOk();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldStoreANewVersionAndFireAnAddedRuleWhenAValidRuleSetIsPut() {
        long before = ((Number) original.get("version")).longValue();
        List<Object> patterns = new ArrayList<>((List<Object>) original.get("patterns"));
        Map<String, Object> bigPayment = new LinkedHashMap<>();
        bigPayment.put("name", "big_payment");
        bigPayment.put("kind", "threshold");
        bigPayment.put("severity", "watch");
        bigPayment.put("event_type", "PaymentReceived");
        bigPayment.put("where", List.of(Map.of("field", "amount", "op", "gte", "value", "5000")));
        bigPayment.put("count", 1);
        bigPayment.put("window", "1m");
        patterns.add(bigPayment);
        Map<String, Object> candidate = new LinkedHashMap<>(original); // a GET answer, edited, goes back as is
        candidate.put("patterns", patterns);

        Map<String, Object> put = http.put().uri("/api/rules").header("X-Pulse-User", "alice") // a header names nobody
                .contentType(MediaType.APPLICATION_JSON).bodyValue(candidate)
                .exchange().expectStatus().isOk().expectBody(OBJECT).returnResult().getResponseBody();

        long version = ((Number) put.get("version")).longValue();
        assertThat(version).isEqualTo(before + 1);
        assertThat(put).as("the credential's name: the admin token of the test configuration").containsEntry("changed_by", "admin-token");
        assertThat(rules()).containsEntry("version", put.get("version"));
        assertThat((List<Map<String, Object>>) rules().get("patterns")).extracting(p -> p.get("name")).contains("big_payment");

        List<Map<String, Object>> versions = http.get().uri("/api/rules/versions").exchange().expectStatus().isOk()
                .expectBody(LIST).returnResult().getResponseBody();
        assertThat(versions.get(0)).containsEntry("active", true).containsEntry("changed_by", "admin-token").containsEntry("source", "api")
                .containsKey("changed_at");
        assertThat(((Number) versions.get(0).get("version")).longValue()).isEqualTo(version);
        assertThat(versions).filteredOn(v -> ((Number) v.get("version")).longValue() == before).singleElement()
                .satisfies(v -> assertThat(v).containsEntry("active", false));
        assertThat(versions).filteredOn(v -> Boolean.TRUE.equals(v.get("active"))).hasSize(1);
        // another instance (its own copy of the active version, the same database) finds it on its next poll
        assertThat(new ActiveRules(store).refresh().block(Duration.ofSeconds(10)).number()).isEqualTo(version);

        String family = uniqueFamily("bigpay");
        String big = uniqueId("p-big");
        post(payment(big, family, at("08:00:00"), "7500.00"));
        Map<String, Object> detection = detection(family, "big_payment");
        assertThat(detection).containsEntry("anchor", big).containsEntry("severity", "watch");
        assertThat(((Number) detection.get("rule_version")).longValue()).isEqualTo(version);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldMakeAnEarlierVersionActiveAgainAsTheNextVersionWithItsRuleSet() {
        long before = ((Number) original.get("version")).longValue();
        Map<String, Object> without = new LinkedHashMap<>();
        without.put("patterns", ((List<Map<String, Object>>) original.get("patterns")).stream()
                .filter(p -> !"duplicate_payment".equals(p.get("name"))).toList());
        long dropped = ((Number) http.put().uri("/api/rules").contentType(MediaType.APPLICATION_JSON).bodyValue(without)
                .exchange().expectStatus().isOk().expectBody(OBJECT).returnResult().getResponseBody().get("version")).longValue();
        assertThat((List<Map<String, Object>>) rules().get("patterns")).extracting(p -> p.get("name")).doesNotContain("duplicate_payment");

        Map<String, Object> back = http.post().uri("/api/rules/versions/{version}/activate", before)
                .exchange().expectStatus().isOk().expectBody(OBJECT).returnResult().getResponseBody();

        long version = ((Number) back.get("version")).longValue();
        assertThat(version).as("a new number after the one it replaces").isEqualTo(dropped + 1);
        assertThat(back).containsEntry("changed_by", "admin-token").containsEntry("patterns", original.get("patterns"));
        assertThat(rules()).containsEntry("version", back.get("version")).containsEntry("patterns", original.get("patterns"));
        assertThat(versions().get(0)).containsEntry("active", true).containsEntry("label", "reactivates version " + before)
                .containsEntry("source", "api");
        // The lanes run it: the pattern the dropped version lacked fires again, under the new number.
        assertDuplicatePaymentDetectedUnder(version, "reactivated", "10:00:00", "10:01:00");
    }

    @Test
    void shouldAnswer404NamingTheVersionWhenReactivatingOneThatDoesNotExist() {
        int versionsBefore = versions().size();
        Map<String, Object> error = http.post().uri("/api/rules/versions/{version}/activate", 987654321L)
                .exchange().expectStatus().isNotFound().expectBody(OBJECT).returnResult().getResponseBody();
        assertThat(error).containsEntry("error", "not found").containsEntry("detail", "no rule-set version 987654321");
        assertThat(rules()).containsEntry("version", original.get("version"));
        assertThat(versions()).hasSize(versionsBefore);
    }

    @Test
    void shouldRefuseAnInvalidRuleSetWithTheReasonAndKeepTheActiveVersion() {
        int versionsBefore = versions().size();
        Map<String, Object> bad = Map.of("patterns", List.of(Map.of("name", "rapid_payments", "kind", "threshold",
                "severity", "warning", "event_type", "PaymentReceived", "count", 0, "window", "10m")));

        Map<String, Object> error = http.put().uri("/api/rules").contentType(MediaType.APPLICATION_JSON).bodyValue(bad)
                .exchange().expectStatus().isBadRequest().expectBody(OBJECT).returnResult().getResponseBody();

        assertThat(error).containsEntry("error", "invalid rule set")
                .containsEntry("detail", "rule 'rapid_payments': count must be >= 1, was 0");
        assertThat(rules()).containsEntry("version", original.get("version")).containsEntry("patterns", original.get("patterns"));
        assertThat(versions()).hasSize(versionsBefore);
    }

    @Test
    void shouldNameTheActiveVersionOnEveryNewDetection() {
        long active = ((Number) original.get("version")).longValue();
        assertDuplicatePaymentDetectedUnder(active, "versioned", "09:00:00", "09:01:00");
    }

    /** Two equal payments of a new family, at {@code first} and {@code second}: a duplicate_payment under {@code version}. */
    private void assertDuplicatePaymentDetectedUnder(long version, String familyPrefix, String first, String second) {
        String family = uniqueFamily(familyPrefix);
        String anchor = uniqueId("p2");
        post(payment(uniqueId("p1"), family, at(first), "12.50"), payment(anchor, family, at(second), "12.50"));
        Map<String, Object> d = detection(family, "duplicate_payment");
        assertThat(d).containsEntry("anchor", anchor);
        assertThat(((Number) d.get("rule_version")).longValue()).isEqualTo(version);
    }

    private Map<String, Object> rules() {
        return http.get().uri("/api/rules").exchange().expectStatus().isOk().expectBody(OBJECT).returnResult().getResponseBody();
    }

    private List<Map<String, Object>> versions() {
        return http.get().uri("/api/rules/versions").exchange().expectStatus().isOk().expectBody(LIST).returnResult().getResponseBody();
    }

    private void post(String... events) {
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue("[" + String.join(",", events) + "]")
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }

    private Map<String, Object> detection(String family, String pattern) {
        return Poll.until(Duration.ofSeconds(30), pattern + " for " + family, () -> {
            List<Map<String, Object>> found = http.get().uri("/api/detections?family_id={f}&pattern={p}", family, pattern)
                    .exchange().expectBody(LIST).returnResult().getResponseBody();
            return found == null || found.isEmpty() ? null : found.get(0);
        });
    }
}
