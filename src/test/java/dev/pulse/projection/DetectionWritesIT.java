package dev.pulse.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.rules.Detection;
import dev.pulse.rules.DetectionChange;
import dev.pulse.rules.MatchedEvent;
import dev.pulse.rules.Severity;
import dev.pulse.support.PulseIT;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A batch's detection changes are written in as few statements as there are runs without a repeated detection
 * ({@link ProjectionWriter#runs}), and land exactly as one statement per change did: each row as its last change left
 * it, and every change appended to {@code detection_events} in the batch's order.
 */
class DetectionWritesIT extends PulseIT {

    @Autowired
    ProjectionWriter writer;

    @Test
    void shouldStoreEveryChangeOfABatchInOrderAlsoWhenADetectionChangesTwice() {
        String family = uniqueFamily("writes");
        Instant detected = Instant.parse("2026-11-20T10:00:00Z");
        Detection a = detection(family, "a", "0.700", Map.of("amount", "42.00"), detected);
        Detection aLater = detection(family, "a", "0.900", Map.of("amount", "43.00"), detected.plusSeconds(60));
        Detection b = detection(family, "b", "0.500", Map.of(), detected);
        Detection c = detection(family, "c", "1.000", Map.of("note", "it's \"quoted\""), detected);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

        writer.writeDetections(List.of(new DetectionChange.Emitted(a), new DetectionChange.Emitted(b), new DetectionChange.Updated(aLater),
                new DetectionChange.Retracted(b), new DetectionChange.Emitted(c)), 7, now).block(Duration.ofSeconds(30));

        List<String> log = db.sql("select change || ':' || anchor || ':' || status || ':' || confidence from detection_events"
                        + " where family_id = $1 order by seq").bind(0, family)
                .map(row -> row.get(0, String.class)).all().collectList().block(Duration.ofSeconds(10));
        assertThat(log).as("every change, in the batch's order, as it left the detection").containsExactly(
                "emitted:a:active:0.700", "emitted:b:active:0.500", "updated:a:active:0.900", "retracted:b:retracted:0.500",
                "emitted:c:active:1.000");

        Map<String, Object> rowA = row(a.detectionId());
        assertThat(rowA).containsEntry("status", "active").containsEntry("confidence", new BigDecimal("0.900"))
                .containsEntry("detected_at", detected.plusSeconds(60)).containsEntry("created_at", now).containsEntry("updated_at", now)
                .containsEntry("rule_version", 7L).containsEntry("details", "{\"amount\": \"43.00\"}");
        assertThat(row(b.detectionId())).containsEntry("status", "retracted").containsEntry("retracted_at", now);
        assertThat(row(c.detectionId())).containsEntry("status", "active").containsEntry("updated_at", null)
                .containsEntry("details", "{\"note\": \"it's \\\"quoted\\\"\"}").containsEntry("severity_rank", (short) Severity.WARNING.rank());
    }

    @Test
    void shouldCutRunsWhereADetectionRepeats() {
        Detection a = detection("f", "a", "0.5", Map.of(), Instant.EPOCH);
        Detection b = detection("f", "b", "0.5", Map.of(), Instant.EPOCH);
        List<List<DetectionChange>> runs = ProjectionWriter.runs(List.of(new DetectionChange.Emitted(a), new DetectionChange.Emitted(b),
                new DetectionChange.Updated(a), new DetectionChange.Retracted(b), new DetectionChange.Retracted(a)));
        assertThat(runs).extracting(List::size).containsExactly(2, 2, 1);
    }

    private static Detection detection(String family, String anchor, String confidence, Map<String, Object> details, Instant at) {
        return Detection.of("duplicate_payment", family, anchor, Severity.WARNING, new BigDecimal(confidence),
                List.of(new MatchedEvent("e-" + anchor, "PaymentReceived", at, new BigDecimal("42.00"))), at, details);
    }

    private Map<String, Object> row(String detectionId) {
        return db.sql("""
                        select status, confidence, detected_at, created_at, updated_at, retracted_at, rule_version,
                               details::text as details, severity_rank
                          from realtime_pattern_detections where detection_id = $1""")
                .bind(0, detectionId)
                .map(row -> {
                    Map<String, Object> m = new java.util.HashMap<>();
                    for (String column : List.of("status", "confidence", "detected_at", "created_at", "updated_at", "retracted_at",
                            "rule_version", "details", "severity_rank")) {
                        Object value = row.get(column);
                        m.put(column, value instanceof java.time.OffsetDateTime t ? t.toInstant() : value);
                    }
                    return m;
                })
                .one()
                .block(Duration.ofSeconds(10));
    }
}
