package dev.pulse.engine;

import dev.pulse.family.FamilyMetrics;
import dev.pulse.rules.DetectionChange;
import dev.pulse.stream.time.StreamTime;
import dev.pulse.stream.time.Watermark;
import dev.pulse.stream.window.CounterChanges;
import java.util.List;
import java.util.Set;

/**
 * What one step of a partition engine produced: the final metrics of every family that changed, the
 * detection changes in the order they happened, the counter rows to store (and the late arrivals, once
 * per window missed; {@code lateEvents} counts each late event once), and every family whose state
 * changed (to checkpoint). Values only; the caller persists and pushes them.
 */
public record EngineOutput(StreamTime streamTime,
                           Watermark watermark,
                           List<FamilyMetrics> metrics,
                           List<DetectionChange> detections,
                           CounterChanges counters,
                           int lateEvents,
                           Set<String> changedFamilies) {

    public EngineOutput {
        metrics = List.copyOf(metrics);
        detections = List.copyOf(detections);
        // The engine hands over a set it no longer holds: wrapping it spares re-hashing thousands of ids a batch.
        changedFamilies = java.util.Collections.unmodifiableSet(changedFamilies);
    }
}
