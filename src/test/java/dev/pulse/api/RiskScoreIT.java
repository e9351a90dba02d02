package dev.pulse.api;

import static dev.pulse.support.EventBodies.event;
import static dev.pulse.support.EventBodies.score;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** SPEC §3.7 through the pipeline, with the shipped model file: a family's risk score, factors and model version. */
class RiskScoreIT extends PulseIT {

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
}
