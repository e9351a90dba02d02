package dev.pulse.push.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.projection.DetectionRow;
import dev.pulse.projection.FamilyMetricsRow;
import dev.pulse.rules.MatchedEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What another instance's relay decodes is what the committing instance encoded, decimals' scale included. */
class UpdateCodecTest {

    private static final Instant T = Instant.parse("2026-11-23T09:10:00.123Z");
    private final UpdateCodec codec = new UpdateCodec();

    @Test
    void shouldDecodeExactlyWhatWasEncodedWhenRowsCarryDecimalsNullsAndDetails() {
        FamilyMetricsRow metrics = new FamilyMetricsRow("family-1", 42, "declining", -38, new BigDecimal("61.50"),
                new BigDecimal("70.25"), 12, 3, 2, "warning", "score 42 < 50", T, 12, T, T, T.plusSeconds(1),
                new BigDecimal("0.8120"), List.of("open_overdue", "current_score"), "risk-v1");
        FamilyMetricsRow bare = new FamilyMetricsRow("family-2", null, "stable", 0, null, null, 1, 1, 0, "none",
                null, null, 1, T, T, T, null, null, null);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("count", 2);
        details.put("amount", new BigDecimal("450.00"));
        details.put("currency", "EUR");
        DetectionRow active = new DetectionRow("d-1", "duplicate_payment", "family-1", "p2", "warning",
                new BigDecimal("0.95"), List.of(new MatchedEvent("p1", "PaymentReceived", T, new BigDecimal("450.00")),
                new MatchedEvent("p2", "PaymentReceived", T.plusSeconds(60), new BigDecimal("450.0"))),
                details, "active", T, T, null, null, null, null, null);
        DetectionRow retracted = new DetectionRow("d-2", "repeated_email_bounces", "family-1", "b3", "warning", null,
                List.of(), Map.of(), "retracted", T, T, T, T, null, null, null);
        CommittedUpdates updates = new CommittedUpdates(List.of(metrics, bare), List.of(active, retracted));

        CommittedUpdates decoded = codec.decode(codec.encode(updates));

        assertThat(decoded).isEqualTo(updates);
        assertThat(decoded.detections().get(0).details().get("amount")).isEqualTo(new BigDecimal("450.00"));
    }

    @Test
    void shouldWriteTheSnakeCaseFieldsClientsSee() {
        FamilyMetricsRow row = new FamilyMetricsRow("family-1", 80, "stable", 0, null, null, 1, 0, 0, "none", null, null,
                1, T, T, T, null, null, null);

        String text = codec.encode(new CommittedUpdates(List.of(row), List.of()));

        assertThat(text).contains("\"family_id\":\"family-1\"", "\"current_engagement_score\":80",
                "\"events_last_7_days\":1", "\"as_of\":\"2026-11-23T09:10:00.123Z\"");
    }

    @Test
    void shouldCarryTheRuleVersionOfADetectionAcrossInstances() {
        DetectionRow row = new DetectionRow("d-3", "rapid_payments", "family-1", "p3", "warning", BigDecimal.ONE, List.of(),
                Map.of(), "active", T, T, null, null, null, null, null, 4L);

        String text = codec.encode(new CommittedUpdates(List.of(), List.of(row)));

        assertThat(text).contains("\"rule_version\":4");
        assertThat(codec.decode(text).detections()).containsExactly(row);
    }

    @Test
    void shouldRefuseTextThatIsNotAnEncodedUpdate() {
        assertThatThrownBy(() -> codec.decode("{\"metrics\": 5")).isInstanceOf(RuntimeException.class);
    }
}
