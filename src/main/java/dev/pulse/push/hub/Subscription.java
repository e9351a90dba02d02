package dev.pulse.push.hub;

import dev.pulse.projection.DetectionRow;
import dev.pulse.projection.FamilyMetricsRow;
import dev.pulse.rules.Severity;
import java.util.Set;

/**
 * What one client asked to see ({@code subscribe}, SPEC §5.3): null fields do not filter.
 *
 * @param familyIds   only these families' metrics and detections
 * @param minSeverity only detections at least this severe (metrics are not filtered by it)
 */
public record Subscription(Set<String> familyIds, Severity minSeverity) {

    public static final Subscription ALL = new Subscription(null, null);

    public Subscription {
        familyIds = familyIds == null ? null : Set.copyOf(familyIds);
    }

    public boolean admits(FamilyMetricsRow row) {
        return familyIds == null || familyIds.contains(row.familyId());
    }

    public boolean admits(DetectionRow row) {
        if (familyIds != null && !familyIds.contains(row.familyId())) {
            return false;
        }
        // A severity this build does not know is shown rather than hidden: dropping a detection is the worse error.
        return minSeverity == null || Severity.fromWireName(row.severity()).map(s -> s.rank() >= minSeverity.rank()).orElse(true);
    }
}
