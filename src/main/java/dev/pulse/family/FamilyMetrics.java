package dev.pulse.family;

import java.time.Instant;
import java.util.Objects;

/** A family's metrics row as of its partition's stream time (SPEC §3.1; the skeleton's subset). */
public record FamilyMetrics(String familyId,
                            Integer currentEngagementScore,
                            long eventsProcessed,
                            Instant lastEventTimestamp,
                            int eventsLast7Days,
                            AlertLevel alertLevel,
                            String alertReason,
                            Instant asOf) {

    public FamilyMetrics {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(alertLevel, "alertLevel");
        Objects.requireNonNull(asOf, "asOf");
    }
}
