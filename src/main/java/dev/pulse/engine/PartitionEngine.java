package dev.pulse.engine;

import dev.pulse.event.Event;
import dev.pulse.family.AlertHistory;
import dev.pulse.family.FamilyMetrics;
import dev.pulse.family.FamilyMetricsCalculator;
import dev.pulse.rules.DetectionChange;
import dev.pulse.stream.time.StreamTime;
import dev.pulse.stream.time.Watermark;
import dev.pulse.stream.time.WatermarkTracker;
import dev.pulse.stream.window.CounterChanges;
import dev.pulse.stream.window.WindowCounter;
import java.time.InstantSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The event-time engine of one partition (SPEC §2, §3): a deterministic step function
 * {@code (state, events | time) -> (state', outputs)}. It owns the partition's stream time, every
 * family's timeline and rolling-expiry timers; it does no I/O, and reads the wall clock only through the
 * injected {@code InstantSource}, for idle-advance. Mutable and
 * single-threaded: one engine per partition lane, fed its distinct events (duplicates dropped upstream).
 */
public final class PartitionEngine {

    private final EngineSettings settings;
    private final FamilyMetricsCalculator calculator;
    private final AlertHistory history;
    private final Map<String, FamilySlot> families = new HashMap<>();
    private final ExpiryTimers timers = new ExpiryTimers();
    /** Families with an absence pattern waiting for the watermark. */
    private final Set<String> waiting = new LinkedHashSet<>();
    /** Families restored from checkpoints older than stream time: recomputed with the next step. */
    private final Set<String> restoredBehind = new LinkedHashSet<>();
    private final WatermarkTracker time;
    /** Keeps what restores and steps change until {@link #output} takes it (restores: with the next step). */
    private final WindowCounter counters;

    /**
     * @param wallClock read only for idle-advance (SPEC §2): the wall time of arrivals and of idle checks
     */
    public PartitionEngine(EngineSettings settings, StreamTime restoredStreamTime, Watermark restoredWatermark,
                           InstantSource wallClock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.calculator = new FamilyMetricsCalculator(settings.engagement());
        this.history = new AlertHistory(settings.engagement());
        this.time = WatermarkTracker.resume(restoredStreamTime, restoredWatermark, settings.maxOutOfOrderness(),
                settings.idleAdvance(), wallClock);
        this.counters = new WindowCounter(settings.windows(), settings.allowedLateness());
        // Restored windows are judged against the restored watermark (rows already final stay final).
        counters.advanceTo(time.watermark());
    }

    /** A fresh partition with nothing seen yet. */
    public static PartitionEngine fresh(EngineSettings settings, InstantSource wallClock) {
        return new PartitionEngine(settings, StreamTime.NONE, Watermark.NONE, wallClock);
    }

    public StreamTime streamTime() {
        return time.streamTime();
    }

    public Watermark watermark() {
        return time.watermark();
    }

    public boolean knows(String familyId) {
        return families.containsKey(familyId);
    }

    /** The state of a family this engine holds, for the checkpoint. */
    public FamilySnapshot snapshot(String familyId) {
        FamilySlot slot = families.get(familyId);
        if (slot == null) {
            throw new IllegalArgumentException("no family " + familyId + " in this partition's engine");
        }
        return new FamilySnapshot(familyId, List.copyOf(slot.timeline.all()), slot.eventsProcessed, slot.lastEventTimestamp,
                slot.carry, slot.frozenBefore, slot.walked == null ? null : slot.walked.at(), slot.rules.snapshot(),
                counters.snapshot(familyId).orElse(null));
    }

    /**
     * Re-installs a family from its checkpoint, before its next events are applied. Its detections were
     * emitted before the checkpoint, so they are re-derived silently; its expiry timers are re-armed.
     */
    public void restore(FamilySnapshot snapshot) {
        FamilySlot slot = new FamilySlot(snapshot.familyId(), null);
        snapshot.events().forEach(slot.timeline::add);
        slot.rules = settings.rules().restore(snapshot.rules(), slot.timeline, watermark().instant());
        if (slot.rules.wakeUpAfter().isPresent()) {
            waiting.add(snapshot.familyId());
        }
        slot.eventsProcessed = snapshot.eventsProcessed();
        slot.lastEventTimestamp = snapshot.lastEventTimestamp();
        slot.carry = snapshot.carry();
        slot.frozenBefore = snapshot.frozenBefore();
        families.put(snapshot.familyId(), slot);
        if (snapshot.asOf() != null) {
            // Re-derives what was emitted up to the checkpoint silently; what happened to the family since
            // (stream time moved on while it was not loaded) is computed and emitted with the next step.
            compute(slot, snapshot.asOf());
            if (streamTime().instant().isAfter(snapshot.asOf())) {
                restoredBehind.add(snapshot.familyId());
            }
        }
        snapshot.events().forEach(this::scheduleExpiries);
        if (snapshot.windows() != null) {
            counters.restoreFamily(snapshot.windows());
        }
    }

    /** Applies a micro-batch of distinct events, in the order given (their arrival order). */
    public EngineOutput apply(List<Event> events) {
        Set<String> dirty = new LinkedHashSet<>();
        List<DetectionChange> detections = new ArrayList<>();
        for (Event event : events) {
            time.onEvent(event.eventTimestamp());
            counters.count(event, time.watermark());
            FamilySlot slot = families.computeIfAbsent(event.aggregateId(),
                    id -> new FamilySlot(id, settings.rules().newFamily(id)));
            slot.add(event);
            dirty.add(event.aggregateId());
            scheduleExpiries(event);
            // Detections are evaluated on arrival (SPEC §3.3), each event in turn.
            detections.addAll(slot.rules.onEvent(slot.timeline, event, watermark().instant()));
            if (slot.rules.wakeUpAfter().isPresent()) {
                waiting.add(event.aggregateId());
            }
        }
        detections.addAll(absences());
        // Rolling ranges: families whose events left a range as stream time moved are updated too.
        dirty.addAll(timers.fire(streamTime().instant()));
        dirty.addAll(restoredBehind);
        restoredBehind.clear();
        List<FamilyMetrics> metrics = new ArrayList<>(dirty.size());
        for (String familyId : dirty) {
            FamilySlot slot = families.get(familyId);
            if (slot == null) {
                continue;
            }
            Computed computed = compute(slot);
            metrics.add(computed.metrics());
            detections.addAll(computed.detections());
        }
        counters.advanceTo(time.watermark());
        prune();
        return output(metrics, detections, dirty);
    }

    private EngineOutput output(List<FamilyMetrics> metrics, List<DetectionChange> detections, Set<String> dirty) {
        CounterChanges changes = counters.takeChanges();
        int late = (int) changes.lates().stream().map(l -> l.event().eventId()).distinct().count();
        Set<String> changed = new LinkedHashSet<>(dirty);
        changed.addAll(counters.takeChangedFamilies());
        for (DetectionChange d : detections) {
            changed.add(d.detection().familyId());
        }
        changed.retainAll(families.keySet());
        return new EngineOutput(streamTime(), watermark(), metrics, detections, changes, late, changed);
    }

    private record Computed(FamilyMetrics metrics, List<DetectionChange> detections) {
    }

    /**
     * The family's metrics as of stream time, and its engagement-alert changes. The level walk continues
     * from the last one when every new score lies after it (the common case: only new points are walked,
     * and only new rises can appear); otherwise it starts over from the carry and is reconciled in full.
     */
    private Computed compute(FamilySlot slot) {
        return compute(slot, streamTime().instant());
    }

    private Computed compute(FamilySlot slot, Instant asOf) {
        AlertHistory.Resume from = slot.walkFrom();
        boolean continues = from == slot.walked;
        FamilyMetricsCalculator.View view = calculator.view(slot.timeline, slot.eventsProcessed, slot.lastEventTimestamp,
                slot.carry.recentScores(), from, asOf);
        if (!continues) {
            slot.steps.clear();
        }
        slot.steps.addAll(view.history().steps());
        slot.walked = view.history().end();
        slot.earliestNewScore = null;
        List<DetectionChange> changes = continues
                ? slot.engagementAlerts.append(view.history().steps(), slot.frozenBefore)
                : slot.engagementAlerts.reconcile(slot.steps, slot.frozenBefore);
        return new Computed(view.metrics(), changes);
    }

    /**
     * Called periodically on a quiet partition: when idle-advance is on and nothing arrived for that long,
     * the watermark moves to wall clock − max out-of-orderness (SPEC §2). Empty when it did not move.
     */
    public java.util.Optional<EngineOutput> onIdleCheck() {
        return time.onIdleCheck().map(moved -> {
            List<DetectionChange> detections = absences();
            counters.advanceTo(moved);
            prune();
            return output(List.of(), detections, new LinkedHashSet<>());
        });
    }

    /** Absence patterns whose deadline the watermark has passed (SPEC §3.3: fired on the watermark). */
    private List<DetectionChange> absences() {
        if (waiting.isEmpty() || watermark().isNone()) {
            return List.of();
        }
        Instant w = watermark().instant();
        List<DetectionChange> changes = new ArrayList<>();
        for (java.util.Iterator<String> it = waiting.iterator(); it.hasNext(); ) {
            FamilySlot slot = families.get(it.next());
            var wake = slot == null ? java.util.Optional.<Instant>empty() : slot.rules.wakeUpAfter();
            if (wake.isEmpty()) {
                it.remove();
            } else if (w.isAfter(wake.get())) {
                changes.addAll(slot.rules.onWatermark(slot.timeline, w));
                if (slot.rules.wakeUpAfter().isEmpty()) {
                    it.remove();
                }
            }
        }
        return changes;
    }

    private void scheduleExpiries(Event event) {
        Instant t = event.eventTimestamp();
        for (Duration range : List.of(settings.engagement().shortRange(), settings.engagement().longRange())) {
            Instant leaves = t.plus(range);
            if (leaves.isAfter(streamTime().instant())) {
                timers.schedule(leaves, event.aggregateId());
            }
        }
    }

    private void prune() {
        // Pruning is done in the step, not on a clock, so it is part of the deterministic function.
        if (watermark().isNone()) {
            return;
        }
        Instant horizon = watermark().instant().minus(settings.retention());
        for (FamilySlot slot : families.values()) {
            if (!slot.timeline.isEmpty() && slot.timeline.all().first().eventTimestamp().isBefore(horizon)) {
                // The walk up to just before the horizon becomes the carry: it holds the latest score and the
                // scores still in range there, so forgetting older events changes no later level.
                Instant carryAt = horizon.minusMillis(1);
                if (carryAt.isAfter(slot.carry.at())) {
                    List<Event> scores = slot.timeline.between(slot.carry.at(), carryAt, e -> e.newScore().isPresent());
                    slot.carry = history.walk(scores, carryAt, slot.carry).end();
                }
                slot.timeline.pruneBefore(horizon);
                slot.frozenBefore = horizon.plus(settings.engagement().shortRange());
                slot.steps.removeIf(step -> step.at().isBefore(horizon));
            }
        }
    }
}
