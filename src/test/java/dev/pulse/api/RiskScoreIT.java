package dev.pulse.api;

import static dev.pulse.support.EventBodies.event;
import static dev.pulse.support.EventBodies.score;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.rules.DetectionId;
import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * SPEC §3.7 through the pipeline, with the shipped model file: a family's risk score, factors and model version, and
 * the default {@code risk_high} rule against the real broker and database.
 */
class RiskScoreIT extends PulseIT {

    private static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() {
    };

    @Test
    void shouldServeTheRiskScoreOfTheShippedModelWithItsFactors() {
        String family = uniqueFamily("risky");
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String body = "[" + String.join(",",
                score(uniqueId("s"), family, t.toString(), 20),
                event(uniqueId("o"), "PaymentOverdue", family, t.plusSeconds(1).toString(), "{}"),
                event(uniqueId("o"), "PaymentOverdue", family, t.plusSeconds(2).toString(), "{}")) + "]";
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);

        Map<String, Object> row = Poll.until(Duration.ofSeconds(30), family + " scored", () -> {
            Map<String, Object> r = familyOrNull(family);
            return r != null && Integer.valueOf(3).equals(r.get("events_processed")) ? r : null;
        });

        // score 20, slope 0, change 0, no logins, no payments, 2 open overdues, no bounces (risk-model.yml):
        // -2 + (-1.2)(20−60)/20 + (-0.4)(0−3)/3 + (-0.3)(0−1)/1 + 1.5·2 = 4.1;  1 / (1 + e^-4.1) = 0.98369…
        assertThat(((Number) row.get("risk_score")).doubleValue()).isEqualTo(0.9837);
        assertThat(row.get("risk_factors")).isEqualTo(List.of("open_overdue", "current_score", "logins_7d"));
        assertThat(row.get("model_version")).isEqualTo("risk-v1-2026-11");
    }

    /**
     * Score 20 alone: −2 + 2.4 + 0.4 + 0.3 = 1.1, risk 0.7503. With the first bounce + 0.3: 1.4, risk 0.8022, the crossing;
     * with the second 1.7, risk 0.8455, still above. So exactly one risk_high, anchored at the first bounce, whether the
     * three events come in order, reversed in one request, or the first bounce last (then the detection first emitted
     * at the second bounce is retracted and the first bounce's emitted).
     */
    @Test
    @SuppressWarnings("unchecked")
    void shouldDetectRiskHighOnceAtTheFirstBounceWhicheverOrderTheEventsArriveIn() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        Map<String, String> firstBounces = new java.util.LinkedHashMap<>();
        for (String order : List.of("inorder", "reversed", "latebounce")) {
            String family = uniqueFamily("riskhigh-" + order);
            String s = score(uniqueId("s"), family, t.toString(), 20);
            String b1Id = uniqueId("b1");
            String b2Id = uniqueId("b2");
            String b1 = event(b1Id, "EmailBounced", family, t.plus(Duration.ofMinutes(10)).toString(), "{}");
            String b2 = event(b2Id, "EmailBounced", family, t.plus(Duration.ofMinutes(20)).toString(), "{}");
            switch (order) {
                case "inorder" -> {
                    post(s);
                    post(b1);
                    post(b2);
                }
                case "reversed" -> post(b2, b1, s);
                default -> {
                    post(s, b2);
                    Poll.until(Duration.ofSeconds(30), "risk_high at the second bounce of " + family, () ->
                            activeRiskHigh(family).stream().anyMatch(d -> b2Id.equals(d.get("anchor"))) ? Boolean.TRUE : null);
                    post(b1);
                }
            }
            firstBounces.put(family, b1Id);
        }

        firstBounces.forEach((family, b1Id) -> {
            List<Map<String, Object>> active = Poll.until(Duration.ofSeconds(30), "risk_high of " + family + " at its first bounce", () -> {
                Map<String, Object> row = familyOrNull(family);
                List<Map<String, Object>> found = activeRiskHigh(family);
                return row != null && Integer.valueOf(3).equals(row.get("events_processed")) && found.size() == 1
                        && b1Id.equals(found.get(0).get("anchor")) ? found : null;
            });
            Map<String, Object> d = active.get(0);
            assertThat(d).as(family).containsEntry("detection_id", DetectionId.of("risk_high", family, b1Id))
                    .containsEntry("severity", "warning")
                    .containsEntry("detected_at", t.plus(Duration.ofMinutes(10)).toString());
            Map<String, Object> details = (Map<String, Object>) d.get("details");
            assertThat(((Number) details.get("risk_score")).doubleValue()).as(family).isEqualTo(0.8022);
            assertThat(((Number) details.get("threshold")).doubleValue()).isEqualTo(0.8);
            assertThat(details).containsEntry("model_version", "risk-v1-2026-11")
                    .containsEntry("risk_factors", List.of("current_score", "logins_7d", "bounces_30d"));
            assertThat((List<Map<String, Object>>) d.get("matched_events")).extracting(e -> e.get("event_id")).containsExactly(b1Id);
        });
        String late = firstBounces.keySet().stream().filter(f -> f.contains("latebounce")).findFirst().orElseThrow();
        assertThat(http.get().uri("/api/detections?family_id={f}&pattern=risk_high&status=all", late).exchange().expectBody(LIST)
                .returnResult().getResponseBody()).as("the crossing at the second bounce, retracted")
                .extracting(d -> d.get("status")).containsExactlyInAnyOrder("active", "retracted");
    }

    private List<Map<String, Object>> activeRiskHigh(String family) {
        List<Map<String, Object>> found = http.get().uri("/api/detections?family_id={f}&pattern=risk_high", family).exchange()
                .expectBody(LIST).returnResult().getResponseBody();
        return found == null ? List.of() : found;
    }

    private void post(String... events) {
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue("[" + String.join(",", events) + "]")
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }
}
