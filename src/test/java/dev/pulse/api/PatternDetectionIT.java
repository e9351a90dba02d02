package dev.pulse.api;

import static dev.pulse.support.EventBodies.event;
import static dev.pulse.support.EventBodies.login;
import static dev.pulse.support.EventBodies.payment;
import static dev.pulse.support.EventBodies.score;
import static dev.pulse.support.RecentDay.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.rules.DetectionId;
import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import dev.pulse.support.RecentDay;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** The spec's patterns end to end against the real broker and database (SPEC §3.3), and a rule defined only as data. */
class PatternDetectionIT extends PulseIT {

    @Test
    void shouldDetectADuplicatePaymentAnchoredAtTheSecondCharge() {
        String family = uniqueFamily("dupcharge");
        String first = uniqueId("p1");
        String second = uniqueId("p2");
        post(payment(second, family, at("10:02:00"), "89.90"), payment(first, family, at("10:00:00"), "89.9"));
        Map<String, Object> d = detection(family, "duplicate_payment");
        assertThat(d).containsEntry("detection_id", DetectionId.of("duplicate_payment", family, second))
                .containsEntry("anchor", second)
                .containsEntry("severity", "warning")
                .containsEntry("detected_at", at("10:02:00"));
        assertThat(((Number) d.get("confidence")).doubleValue()).isEqualTo(0.95);
        assertThat((List<?>) d.get("matched_events")).hasSize(2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldDetectALoginAndAPaymentFromTwoCountriesAsOnePairWhicheverArrivesFirst() {
        String family = uniqueFamily("country");
        String login = uniqueId("l");
        String payment = uniqueId("p");
        // the payment arrives first although the login is earlier; a second login 5 min + 1 ms after it pairs with nothing
        post(event(payment, "PaymentReceived", family, at("10:05:00"), "{\"amount\": 20, \"country\": \"FR\"}"),
                event(login, "UserLogin", family, at("10:00:00"), "{\"country\": \"DE\"}"),
                event(uniqueId("l2"), "UserLogin", family, at("10:10:00.001"), "{\"country\": \"US\"}"));
        Map<String, Object> d = detection(family, "login_payment_country_mismatch");
        String anchor = "pair:" + login.length() + ":" + login + "+" + payment;
        assertThat(d).containsEntry("detection_id", DetectionId.of("login_payment_country_mismatch", family, anchor))
                .containsEntry("anchor", anchor)
                .containsEntry("severity", "warning")
                .containsEntry("detected_at", at("10:05:00"));
        assertThat((List<Map<String, Object>>) d.get("matched_events")).extracting(e -> e.get("event_id")).containsExactly(login, payment);
        Poll.until(Duration.ofSeconds(30), "all three events of " + family + " processed", () -> {
            Map<String, Object> row = http.get().uri("/api/families/{f}", family).exchange()
                    .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                    }).returnResult().getResponseBody();
            return row != null && Integer.valueOf(3).equals(row.get("events_processed")) ? Boolean.TRUE : null;
        });
        assertThat(detections(family, "login_payment_country_mismatch")).as("one detection per pair").hasSize(1);
    }

    @Test
    void shouldDetectARapidEngagementDrop() {
        String family = uniqueFamily("drop");
        String fall = uniqueId("s2");
        post(score(uniqueId("s1"), family, at("11:00:00"), 80), score(fall, family, at("11:04:00"), 45));
        Map<String, Object> d = detection(family, "engagement_rapid_drop");
        assertThat(d).containsEntry("anchor", fall).containsEntry("severity", "critical");
    }

    @Test
    void shouldDetectAnOverdueWithAReminderAndNoPaymentOnceTheWatermarkPassesTheDeadline() {
        String family = uniqueFamily("overdue");
        String overdue = uniqueId("o");
        Instant t = RecentDay.instant(-3, "08:00:00");
        post(event(overdue, "PaymentOverdue", family, t.toString(), "{}"),
                event(uniqueId("r"), "ReminderSent", family, t.plus(Duration.ofHours(2)).toString(), "{}"),
                // moves the partition's watermark (stream time − 5 s) past the deadline r + 48h
                login(uniqueId("l"), family, t.plus(Duration.ofHours(50)).plusSeconds(10).toString()));
        Map<String, Object> d = detection(family, "overdue_no_payment");
        assertThat(d).containsEntry("anchor", overdue)
                .containsEntry("severity", "critical")
                .containsEntry("detected_at", t.plus(Duration.ofHours(50)).toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldFireARuleAddedOnlyInConfiguration() {
        String family = uniqueFamily("burst");
        List<String> logins = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            logins.add(login(uniqueId("l" + i), family, Instant.parse(at("12:00:00")).plusSeconds(10L * i).toString()));
        }
        post(logins.toArray(String[]::new));
        assertThat(detection(family, "login_burst")).containsEntry("severity", "watch");

        Map<String, Object> rules = http.get().uri("/api/rules").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
                }).returnResult().getResponseBody();
        assertThat((List<Map<String, Object>>) rules.get("patterns")).extracting(r -> r.get("name"))
                .contains("duplicate_payment", "rapid_payments", "unusual_amount", "engagement_rapid_drop",
                        "overdue_no_payment", "repeated_email_bounces", "login_burst");
        assertThat((List<Map<String, Object>>) rules.get("patterns"))
                .filteredOn(r -> r.get("name").equals("engagement_rapid_drop")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("severity", "critical"));
        assertThat((List<Map<String, Object>>) rules.get("patterns")).extracting(r -> r.get("severity"))
                .allSatisfy(severity -> assertThat(severity).isIn("info", "watch", "warning", "critical"));
    }

    private void post(String... events) {
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue("[" + String.join(",", events) + "]")
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }

    private List<Map<String, Object>> detections(String family, String pattern) {
        return http.get().uri("/api/detections?family_id={f}&pattern={p}", family, pattern)
                .exchange().expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {
                }).returnResult().getResponseBody();
    }

    private Map<String, Object> detection(String family, String pattern) {
        return Poll.until(Duration.ofSeconds(30), pattern + " for " + family, () -> {
            List<Map<String, Object>> found = http.get().uri("/api/detections?family_id={f}&pattern={p}", family, pattern)
                    .exchange().expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {
                    }).returnResult().getResponseBody();
            return found == null || found.isEmpty() ? null : found.get(0);
        });
    }
}
