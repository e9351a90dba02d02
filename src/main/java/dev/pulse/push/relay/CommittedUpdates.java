package dev.pulse.push.relay;

import dev.pulse.projection.DetectionRow;
import dev.pulse.projection.FamilyMetricsRow;
import java.util.List;

/**
 * What one checkpoint transaction of one partition committed, as clients are shown it: the changed
 * families' rows and the detection changes, in the order the engine produced them.
 */
public record CommittedUpdates(List<FamilyMetricsRow> metrics, List<DetectionRow> detections) {

    public CommittedUpdates {
        metrics = List.copyOf(metrics);
        detections = List.copyOf(detections);
    }

    public boolean isEmpty() {
        return metrics.isEmpty() && detections.isEmpty();
    }
}
