package dev.pulse.projection;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pulse.family.FamilyMetrics;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A {@code realtime_family_metrics} row as REST, pages and pushes show it (SPEC §3.1). Field names
 * become snake_case on the wire; the ones with digits are spelled out because the naming strategy
 * does not split digits.
 */
public record FamilyMetricsRow(String familyId,
                               Integer currentEngagementScore,
                               String engagementTrend,
                               @JsonProperty("engagement_change_7_days") int engagementChange7Days,
                               @JsonProperty("engagement_7_day_avg") BigDecimal engagement7DayAvg,
                               @JsonProperty("engagement_30_day_avg") BigDecimal engagement30DayAvg,
                               @JsonProperty("events_last_7_days") int eventsLast7Days,
                               @JsonProperty("logins_last_7_days") int loginsLast7Days,
                               @JsonProperty("payments_last_7_days") int paymentsLast7Days,
                               String alertLevel,
                               String alertReason,
                               Instant alertSince,
                               long eventsProcessed,
                               Instant lastEventTimestamp,
                               Instant asOf,
                               Instant lastUpdated,
                               BigDecimal riskScore,
                               List<String> riskFactors,
                               String modelVersion) {

    /** The row {@link ProjectionWriter} stores for these metrics. */
    public static FamilyMetricsRow of(FamilyMetrics m, Instant lastUpdated) {
        return new FamilyMetricsRow(m.familyId(), m.currentEngagementScore(), m.engagementTrend().direction(),
                m.engagementChange7Days(), m.engagement7DayAvg(), m.engagement30DayAvg(), m.eventsLast7Days(),
                m.loginsLast7Days(), m.paymentsLast7Days(), m.alertLevel().wireName(), m.alertReason(), m.alertSince(),
                m.eventsProcessed(), m.lastEventTimestamp(), m.asOf(), lastUpdated, m.riskScore(), m.riskFactors(),
                m.modelVersion());
    }
}
