package dev.pulse.projection;

import dev.pulse.rules.Detection;
import dev.pulse.rules.DetectionChange;
import dev.pulse.rules.MatchedEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A detection as REST, pages and pushes show it (SPEC §3.3, §7); snake_case on the wire.
 *
 * @param ruleVersion the rule-set version whose lane produced the row's latest change (SPEC §4.1)
 */
public record DetectionRow(String detectionId,
                           String pattern,
                           String familyId,
                           String anchor,
                           String severity,
                           BigDecimal confidence,
                           List<MatchedEvent> matchedEvents,
                           Map<String, Object> details,
                           String status,
                           Instant detectedAt,
                           Instant createdAt,
                           Instant updatedAt,
                           Instant retractedAt,
                           String actionType,
                           String actionResult,
                           Instant actionedAt,
                           Long ruleVersion) {

    /** A row without a rule version (written before versions existed, SPEC §4.1). */
    public DetectionRow(String detectionId, String pattern, String familyId, String anchor, String severity,
                        BigDecimal confidence, List<MatchedEvent> matchedEvents, Map<String, Object> details, String status,
                        Instant detectedAt, Instant createdAt, Instant updatedAt, Instant retractedAt, String actionType,
                        String actionResult, Instant actionedAt) {
        this(detectionId, pattern, familyId, anchor, severity, confidence, matchedEvents, details, status, detectedAt,
                createdAt, updatedAt, retractedAt, actionType, actionResult, actionedAt, null);
    }

    /** The row as one committed change left it (wall-clock fields approximate the stored ones: same {@code now}). */
    public static DetectionRow of(DetectionChange change, Instant now, long ruleVersion) {
        Detection d = change.detection();
        boolean retracted = change instanceof DetectionChange.Retracted;
        boolean updated = change instanceof DetectionChange.Updated;
        return new DetectionRow(d.detectionId(), d.pattern(), d.familyId(), d.anchor(), d.severity().wireName(),
                d.confidence(), d.matchedEvents(), d.details(), retracted ? "retracted" : "active", d.detectedAt(),
                now, updated || retracted ? now : null, retracted ? now : null, null, null, null, ruleVersion);
    }
}
