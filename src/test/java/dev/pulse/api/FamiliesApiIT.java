package dev.pulse.api;

import static dev.pulse.support.EventBodies.login;
import static dev.pulse.support.EventBodies.score;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** {@code GET /api/families} and {@code GET /api/families/{id}} over real projections (SPEC §5.1, §7). */
class FamiliesApiIT extends PulseIT {

    private String run;
    private String at;
    private String critical;
    private String warning;
    private String watch;
    private String none;
    private String noScore;

    @BeforeEach
    void families() {
        run = uniqueFamily("api");
        // Rolling counts are as of the partition's stream time, which other tests move (the simulator's
        // events are "now"): an event at the wall clock stays inside every test's 7-day range.
        at = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        critical = run + "-a-critical";
        warning = run + "-b-warning";
        watch = run + "-c-watch";
        none = run + "-d-none";
        noScore = run + "-e-noscore";
        String body = "[" + String.join(",",
                score(uniqueId("s"), critical, at, 20),
                score(uniqueId("s"), warning, at, 45),
                score(uniqueId("s"), watch, at, 60),
                score(uniqueId("s"), none, at, 90),
                login(uniqueId("l"), noScore, at)) + "]";
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
        for (String family : List.of(critical, warning, watch, none, noScore)) {
            Poll.until(Duration.ofSeconds(30), family, () -> familyOrNull(family));
        }
    }

    @Test
    void shouldListMostSevereFirstByDefault() {
        List<String> ids = ids("/api/families?limit=10000");
        List<String> ours = ids.stream().filter(id -> id.startsWith(run)).toList();
        assertThat(ours).containsExactly(critical, warning, watch, none, noScore);
    }

    @Test
    void shouldFilterByAlertLevel() {
        List<Map<String, Object>> rows = rows("/api/families?alert_level=critical&limit=10000");
        assertThat(rows).extracting(r -> r.get("alert_level")).containsOnly("critical");
        assertThat(rows).extracting(r -> r.get("family_id")).contains(critical).doesNotContain(warning, none);
        assertThat(ids("/api/families?alert_level=none&limit=10000")).contains(none, noScore).doesNotContain(watch);
    }

    @Test
    void shouldSortByScoreAndPageWithLimitAndOffset() {
        List<String> byScoreDesc = ids("/api/families?sort=-score&limit=10000");
        assertThat(byScoreDesc.indexOf(none)).isLessThan(byScoreDesc.indexOf(watch));
        assertThat(byScoreDesc.indexOf(watch)).isLessThan(byScoreDesc.indexOf(critical));

        List<String> all = ids("/api/families?sort=family_id&limit=10000");
        assertThat(all).isSorted();
        assertThat(ids("/api/families?sort=family_id&limit=2&offset=1")).isEqualTo(all.subList(1, 3));
    }

    @Test
    void shouldAnswerOneFamilyInSnakeCase() {
        http.get().uri("/api/families/{id}", warning).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.family_id").isEqualTo(warning)
                .jsonPath("$.current_engagement_score").isEqualTo(45)
                .jsonPath("$.alert_level").isEqualTo("warning")
                .jsonPath("$.alert_reason").isEqualTo("score 45 < 50")
                .jsonPath("$.events_last_7_days").isEqualTo(1)
                .jsonPath("$.events_processed").isEqualTo(1)
                .jsonPath("$.engagement_change_7_days").isEqualTo(0)
                .jsonPath("$.last_event_timestamp").isEqualTo(at);
        http.get().uri("/api/families/{id}", noScore).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.current_engagement_score").doesNotExist()
                .jsonPath("$.alert_level").isEqualTo("none");
    }

    @Test
    void shouldAnswer404WithJsonErrorForUnknownFamily() {
        http.get().uri("/api/families/{id}", "no-such-family").exchange()
                .expectStatus().isNotFound()
                .expectBody()
                .jsonPath("$.error").isEqualTo("not found")
                .jsonPath("$.detail").isEqualTo("no family with id 'no-such-family'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "alert_level=severe  | alert_level must be one of none, watch, warning, critical, was 'severe'",
            "sort=color          | sort must be one of severity, score, family_id, last_event_timestamp, events_processed, events_last_7_days (prefix '-' for descending), was 'color'",
            "limit=0             | limit must be between 1 and 10000, was 0",
            "limit=10001         | limit must be between 1 and 10000, was 10001",
            "limit=ten           | limit must be an integer, was 'ten'",
            "offset=-1           | offset must be between 0 and 9223372036854775807, was -1"})
    void shouldAnswer400NamingTheParameterWhenItIsInvalid(String query, String detail) {
        http.get().uri("/api/families?" + query).exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.error").isEqualTo("invalid parameter")
                .jsonPath("$.detail").isEqualTo(detail);
    }

    private List<Map<String, Object>> rows(String uri) {
        var result = http.get().uri(uri).exchange()
                .expectBody(new org.springframework.core.ParameterizedTypeReference<List<Map<String, Object>>>() {
                })
                .returnResult();
        return result.getStatus().value() == 200 ? result.getResponseBody() : List.of();
    }

    private List<String> ids(String uri) {
        return rows(uri).stream().map(r -> (String) r.get("family_id")).toList();
    }
}
