package dev.pulse.family;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A family's metrics row as of its partition's stream time (SPEC §3.1, §7), with its risk score (§3.7;
 * null when no risk model is configured).
 */
public record FamilyMetrics(String familyId,
                            Integer currentEngagementScore,
                            Trend engagementTrend,
                            int engagementChange7Days,
                            BigDecimal engagement7DayAvg,
                            BigDecimal engagement30DayAvg,
                            int eventsLast7Days,
                            int loginsLast7Days,
                            int paymentsLast7Days,
                            AlertLevel alertLevel,
                            String alertReason,
                            Instant alertSince,
                            long eventsProcessed,
                            Instant lastEventTimestamp,
                            Instant asOf,
                            BigDecimal riskScore,
                            java.util.List<String> riskFactors,
                            String modelVersion) {

    public FamilyMetrics {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(engagementTrend, "engagementTrend");
        Objects.requireNonNull(alertLevel, "alertLevel");
        Objects.requireNonNull(asOf, "asOf");
        riskFactors = riskFactors == null ? null : java.util.List.copyOf(riskFactors);
    }
}
