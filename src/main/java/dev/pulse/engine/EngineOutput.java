package dev.pulse.engine;

import dev.pulse.event.Event;
import dev.pulse.family.FamilyMetrics;
import dev.pulse.rules.DetectionChange;
import dev.pulse.stream.time.StreamTime;
import dev.pulse.stream.time.Watermark;
import dev.pulse.stream.window.CounterChanges;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one step of a partition engine produced: the final metrics of every family that changed, the
 * detection changes in the order they happened, the counter rows to store (and the late arrivals, once
 * per window missed; {@code lateEvents} counts each late event once), and every family whose state
 * changed (to checkpoint; each listed once). Values only; the caller persists and pushes them.
 * <p>
 * The state to checkpoint comes in two parts, so that what a checkpoint writes follows what changed and not
 * how much history the families hold: the {@link FamilyHead} of every family in {@code changedFamilies}
 * (which includes the families whose history was pruned, since pruning moves their carry), and the change
 * of the retained events themselves: {@code retained} were added and are still held, {@code pruned} says
 * which were forgotten.
 *
 * @param retained the events this step added to a family's retained history and still holds at its end, in
 *                 the order they were applied (an event pruned in the same step is not among them)
 * @param pruned   the event times whose retained events this step forgot, in every family of the partition,
 *                 or null when it forgot none
 */
public record EngineOutput(StreamTime streamTime,
                           Watermark watermark,
                           List<FamilyMetrics> metrics,
                           List<DetectionChange> detections,
                           CounterChanges counters,
                           int lateEvents,
                           List<String> changedFamilies,
                           List<Event> retained,
                           Pruned pruned) {

    public EngineOutput {
        metrics = List.copyOf(metrics);
        detections = List.copyOf(detections);
        // The engine hands over lists it no longer holds: wrapping them spares copying thousands a batch.
        changedFamilies = java.util.Collections.unmodifiableList(changedFamilies);
        retained = java.util.Collections.unmodifiableList(retained);
    }

    /**
     * The half-open range of event times {@code [from, before)} whose retained events a step forgot: every
     * family of the partition holds no event before {@code before} after the step, and held none before
     * {@code from} already before it.
     *
     * @param from the pruning horizon of the step before (whether or not that step forgot anything), or null when
     *             nothing was known to be pruned before (a fresh engine, or one restored without a watermark)
     */
    public record Pruned(Instant from, Instant before) {
        public Pruned {
            Objects.requireNonNull(before, "before");
            if (from != null && !from.isBefore(before)) {
                throw new IllegalArgumentException("pruned range must be non-empty, was [" + from + ", " + before + ")");
            }
        }
    }
}
