package dev.pulse.api;

import static dev.pulse.support.EventBodies.score;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.rules.DetectionId;
import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The seed scenario end to end (SPEC §3.1, §3.3): a family whose score falls from 80 to 20 over two
 * weeks goes none → watch → warning → critical, and each rise is an engagement_alert detection.
 */
class EngagementAlertIT extends PulseIT {

    private static final Instant DAY0 = Instant.parse("2026-10-01T09:00:00Z");

    /**
     * One score a day, a minute earlier each day, so a day's score lands before the score of a week ago
     * leaves the range. (At the very same instant the expiry would come first and the level would dip
     * for that instant, which SPEC §7 counts as a level the family had: a second warning alert.)
     */
    private static Instant day(int d) {
        return DAY0.plus(Duration.ofDays(d)).minus(Duration.ofMinutes(d));
    }

    @Test
    void shouldRaiseEngagementAlertsAsScoreFallsOverTwoWeeks() {
        String family = uniqueFamily("falling");
        List<String> events = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int d = 0; d <= 14; d++) {
            int score = 80 - (int) Math.round(60.0 * d / 14);
            String id = uniqueId("day" + d);
            ids.add(id);
            events.add(score(id, family, day(d).toString(), score));
        }
        // Shuffled within the request: event time, not arrival, decides.
        List<String> shuffled = new ArrayList<>(events);
        java.util.Collections.shuffle(shuffled, new java.util.Random(7));
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue("[" + String.join(",", shuffled) + "]")
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);

        Map<String, Object> row = Poll.until(Duration.ofSeconds(30), family + " with all 15 scores", () -> {
            Map<String, Object> r = familyOrNull(family);
            return r != null && ((Number) r.get("events_processed")).intValue() == 15 ? r : null;
        });
        assertThat(row).containsEntry("current_engagement_score", 20)
                .containsEntry("alert_level", "critical")
                .containsEntry("alert_reason", "score 20 < 30")
                .containsEntry("alert_since", day(12).toString())
                .containsEntry("engagement_trend", "declining");
        // Rolling figures are as of the partition's stream time, which other tests' events move too; the
        // unit tests pin them down. Here: either as of this family's last score, or all scores have left.
        int change = ((Number) row.get("engagement_change_7_days")).intValue();
        assertThat(change).isIn(20 - 50, 0);

        List<Map<String, Object>> alerts = http.get().uri("/api/detections?family_id={f}&pattern=engagement_alert", family)
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {
                }).returnResult().getResponseBody();
        // newest first: critical at day 12 (score 29), warning at day 6 (change 54 − 80), watch at day 3 (score 67, change −13)
        assertThat(alerts).extracting(a -> a.get("severity")).containsExactly("critical", "warning", "watch");
        assertThat(alerts).extracting(a -> a.get("anchor")).containsExactly(ids.get(12), ids.get(6), ids.get(3));
        assertThat(alerts).extracting(a -> a.get("detection_id")).containsExactly(
                DetectionId.of("engagement_alert", family, ids.get(12)),
                DetectionId.of("engagement_alert", family, ids.get(6)),
                DetectionId.of("engagement_alert", family, ids.get(3)));
        assertThat(((Map<?, ?>) alerts.get(2).get("details")).get("reason")).isEqualTo("score 67 < 70; change_7d -13 < -10");
        assertThat(alerts.get(1).get("detected_at")).isEqualTo(day(6).toString());
    }

    @Test
    void shouldRecordAnActionOnADetectionAndAnswer404ForUnknownOnes() {
        String family = uniqueFamily("ack");
        // 20: critical (< 30), and a risk of 0.7503, below risk_high's 0.8: the family's one detection
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(score(uniqueId("s"), family, "2026-10-01T09:00:00Z", 20))
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
        String id = DetectionId.of("engagement_alert", family, "unused");
        Map<String, Object> alert = Poll.until(Duration.ofSeconds(30), "the critical alert of " + family, () -> {
            List<Map<String, Object>> found = http.get().uri("/api/detections?family_id={f}", family).exchange()
                    .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {
                    }).returnResult().getResponseBody();
            return found == null || found.isEmpty() ? null : found.get(0);
        });
        assertThat(alert).containsEntry("severity", "critical").containsEntry("status", "active");

        http.post().uri("/api/detections/{id}/actions", alert.get("detection_id")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"action_type\": \"acknowledged\", \"action_result\": \"called the family\"}")
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.action_type").isEqualTo("acknowledged")
                .jsonPath("$.action_result").isEqualTo("called the family")
                .jsonPath("$.actioned_at").isNotEmpty();
        http.post().uri("/api/detections/{id}/actions", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"action_type\": \"acknowledged\"}")
                .exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.error").isEqualTo("not found");
        http.post().uri("/api/detections/{id}/actions", alert.get("detection_id")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").isEqualTo("action_type is required, e.g. {\"action_type\": \"acknowledged\"}");
        http.get().uri("/api/detections?severity=loud").exchange().expectStatus().isBadRequest();
    }
}
