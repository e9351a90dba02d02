package dev.pulse.api;

import static dev.pulse.support.EventBodies.login;
import static dev.pulse.support.EventBodies.payment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** Counters through the whole pipeline (SPEC §3.2): events posted over HTTP end up as counter rows. */
class CountersEndToEndIT extends PulseIT {

    /**
     * The hour after every partition's stream time: counter windows judge lateness by the partition's watermark,
     * which other tests move ahead of the wall clock; these events must not be late for their windows.
     */
    private Instant hourStart;

    @BeforeEach
    void aheadOfEveryStreamTime() {
        hourStart = latestStreamTime().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
    }

    private String at(String minutesAndSeconds) {
        return hourStart.plus(Duration.parse("PT" + minutesAndSeconds)).toString();
    }

    @Test
    void shouldCountPaymentsPerMinuteAndHourAndTheFamilySession() {
        String family = uniqueFamily("counted");
        String body = "[" + String.join(",",
                payment(uniqueId("p"), family, at("10M5S"), "10.50"),
                payment(uniqueId("p"), family, at("10M40S"), "30.00"),
                payment(uniqueId("p"), family, at("11M10S"), "20"),
                login(uniqueId("l"), family, at("20M"))) + "]";
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);

        List<Map<String, Object>> minute = Poll.until(Duration.ofSeconds(30), "1m counters of " + family, () -> {
            List<Map<String, Object>> rows = counters(family, "window_type=tumbling&size=1m&event_type=PaymentReceived");
            return rows.size() == 2 ? rows : null;
        });
        // newest window first: [09:11, 09:12) holds one payment, [09:10, 09:11) two
        assertThat(minute.get(0)).containsEntry("window_start", at("11M")).containsEntry("event_count", 1);
        assertThat(minute.get(1)).containsEntry("window_start", at("10M"))
                .containsEntry("window_end", at("11M"))
                .containsEntry("event_count", 2);
        assertThat(((Number) minute.get(1).get("sum_value")).doubleValue()).isEqualTo(40.5);
        assertThat(((Number) minute.get(1).get("min_value")).doubleValue()).isEqualTo(10.5);
        assertThat(((Number) minute.get(1).get("max_value")).doubleValue()).isEqualTo(30.0);

        List<Map<String, Object>> hour = counters(family, "window_type=tumbling&size=1h&event_type=PaymentReceived");
        assertThat(hour).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("event_count", 3).containsEntry("window_start", hourStart.toString());
            assertThat(((Number) row.get("avg_value")).doubleValue()).isEqualTo(20.1667);
        });

        List<Map<String, Object>> session = Poll.until(Duration.ofSeconds(30), "the session of " + family, () -> {
            List<Map<String, Object>> rows = counters(family, "window_type=session");
            return rows.size() == 1 && ((Number) rows.get(0).get("event_count")).intValue() == 4 ? rows : null;
        });
        // one session [first, last + 30m): all four events, event type "*", no value aggregates
        assertThat(session.get(0)).containsEntry("event_type", "*").containsEntry("size", "30m")
                .containsEntry("window_start", at("10M5S"))
                .containsEntry("window_end", at("50M"));
        assertThat(session.get(0).get("sum_value")).isNull();
    }

    private List<Map<String, Object>> counters(String family, String query) {
        return http.get().uri("/api/families/" + family + "/counters?" + query).exchange()
                .expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {
                }).returnResult().getResponseBody();
    }
}
