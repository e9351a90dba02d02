package dev.pulse.rules;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One detection (SPEC §3.3, §7): identified by (pattern, family, anchor), it records the matched
 * events, confidence, severity and the event time it was detected at ({@code detectedAt}: the time of
 * the completing event, or the deadline for absence patterns). Wall-clock fields ({@code created_at},
 * {@code updated_at}) are added at the edge.
 *
 * @param anchor  the anchor event's id, or {@code expiry:<ISO instant>}
 * @param details pattern-specific figures (e.g. {@code count}, {@code amount}), plain JSON values
 */
public record Detection(String detectionId,
                        String pattern,
                        String familyId,
                        String anchor,
                        Severity severity,
                        BigDecimal confidence,
                        List<MatchedEvent> matchedEvents,
                        Instant detectedAt,
                        Map<String, Object> details) {

    public Detection {
        Objects.requireNonNull(detectionId, "detectionId");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(confidence, "confidence");
        Objects.requireNonNull(detectedAt, "detectedAt");
        matchedEvents = List.copyOf(matchedEvents);
        details = Map.copyOf(details);
    }

    public static Detection of(String pattern, String familyId, String anchor, Severity severity, BigDecimal confidence,
                               List<MatchedEvent> matched, Instant detectedAt, Map<String, Object> details) {
        return new Detection(DetectionId.of(pattern, familyId, anchor), pattern, familyId, anchor, severity, confidence,
                matched, detectedAt, details);
    }
}
