package dev.pulse.engine;

import dev.pulse.family.FamilyMetrics;
import dev.pulse.rules.DetectionChange;
import dev.pulse.stream.time.StreamTime;
import dev.pulse.stream.time.Watermark;
import java.util.List;

/**
 * What one step of a partition engine produced: the final metrics of every family that changed, and
 * the detection changes in the order they happened. Values only; the caller persists and pushes them.
 */
public record EngineOutput(StreamTime streamTime,
                           Watermark watermark,
                           List<FamilyMetrics> metrics,
                           List<DetectionChange> detections) {

    public EngineOutput {
        metrics = List.copyOf(metrics);
        detections = List.copyOf(detections);
    }
}
