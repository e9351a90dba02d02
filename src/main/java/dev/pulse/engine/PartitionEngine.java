package dev.pulse.engine;

import dev.pulse.event.Event;
import dev.pulse.family.AlertHistory;
import dev.pulse.stream.time.EpochMillis;
import dev.pulse.family.FamilyMetrics;
import dev.pulse.family.FamilyMetricsCalculator;
import dev.pulse.family.RiskHistory;
import dev.pulse.family.RiskModel;
import dev.pulse.rules.DetectionChange;
import dev.pulse.rules.RiskRule;
import dev.pulse.stream.time.StreamTime;
import dev.pulse.stream.time.Watermark;
import dev.pulse.stream.time.WatermarkTracker;
import dev.pulse.stream.window.CounterChanges;
import dev.pulse.stream.window.IdTable;
import dev.pulse.stream.window.WindowCounter;
import java.time.InstantSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
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
    private final RiskHistory riskHistory;
    /** The rules on the risk score (SPEC §3.7); none without a risk model, so that they never fire. */
    private final RiskAlerts.Rules riskRules;
    private final IdTable<FamilySlot> families = new IdTable<>(FamilySlot::familyId);
    private final ExpiryTimers timers = new ExpiryTimers();
    private final ReadAhead ahead = new ReadAhead();
    /** Numbers the steps ({@link #apply}, idle checks), for {@link FamilySlot#changedIn}; never 0. */
    private int step;
    /**
     * Families by their oldest event's time (epoch ms) when queued for pruning; an entry is stale once that event
     * is gone.
     */
    private final SlotQueue pruneQueue = new SlotQueue();
    /** The rolling ranges of SPEC §3.1, shortest first. */
    private final List<Duration> rollingRanges;
    /** {@link #rollingRanges} in milliseconds: an arrival arms its timer without an instant per range. */
    private final long[] rollingRangesMillis;
    /** Families with an absence pattern waiting for the watermark. */
    private final Set<String> waiting = new LinkedHashSet<>();
    private final WatermarkTracker time;
    /** Keeps what restores and steps change until {@link #output} takes it (restores: with the next step). */
    private final WindowCounter counters;
    /** The events the current step added to a timeline, in order, until {@link #output} hands them over. */
    private ArrayList<Event> retained = new ArrayList<>();
    /**
     * The families whose state the current step changed without an arrival of theirs (pruned, or absences judged),
     * until {@link #output} hands them over as changed.
     */
    private final List<FamilySlot> changedByTime = new ArrayList<>();
    /**
     * No family holds an event before this instant (null: not known to be pruned yet). A restored engine starts
     * from its watermark's horizon: the checkpoint that stored the watermark also stored the pruning it caused.
     */
    private Instant prunedBefore;
    /** Whether the current step's {@link #prune()} forgot any event. */
    private boolean forgotInStep;

    /**
     * @param wallClock read only for idle-advance (SPEC §2): the wall time of arrivals and of idle checks
     */
    public PartitionEngine(EngineSettings settings, StreamTime restoredStreamTime, Watermark restoredWatermark,
                           InstantSource wallClock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.calculator = new FamilyMetricsCalculator(settings.engagement(), settings.risk());
        this.history = new AlertHistory(settings.engagement());
        this.riskHistory = new RiskHistory(settings.engagement(), settings.risk());
        this.riskRules = RiskAlerts.Rules.of(settings.risk() == RiskModel.NONE ? List.of() : settings.rules().riskRules());
        this.rollingRanges = List.of(settings.engagement().shortRange(), settings.engagement().longRange());
        this.rollingRangesMillis = rollingRanges.stream().mapToLong(Duration::toMillis).toArray();
        this.time = WatermarkTracker.resume(restoredStreamTime, restoredWatermark, settings.maxOutOfOrderness(),
                settings.idleAdvance(), wallClock);
        // Rows made final by the watermark alone are not written again: their finality is read off the stored watermark.
        this.counters = new WindowCounter(settings.windows(), settings.allowedLateness(), false);
        // Restored windows are judged against the restored watermark (rows already final stay final).
        counters.advanceTo(time.watermark());
        this.prunedBefore = time.watermark().isNone() ? null : time.watermark().instant().minus(settings.retention());
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

    /** The families this engine holds, in no particular order (a copy): with {@link #snapshot}, its whole state. */
    public List<String> familyIds() {
        return families.ids();
    }

    /** The whole state of a family this engine holds: its head and its retained events, oldest first. */
    public FamilySnapshot snapshot(String familyId) {
        return FamilySnapshot.of(head(familyId), List.copyOf(slot(familyId).timeline.all()));
    }

    /**
     * The state of a family this engine holds without its retained events, for the checkpoint: its cost does not
     * grow with the family's history (the events are checkpointed as they come and go, {@link EngineOutput}).
     */
    public FamilyHead head(String familyId) {
        FamilySlot slot = slot(familyId);
        return new FamilyHead(familyId, slot.eventsProcessed, slot.lastEventTimestamp, slot.carry, slot.frozenBefore,
                slot.walked == null ? null : slot.walkedAt, slot.rules.snapshot(), counters.snapshot(familyId).orElse(null),
                slot.riskAlerts.carriedAbove(riskRules));
    }

    /** How many engagement alerts the family holds in memory, for tests. */
    int engagementAlertsHeld(String familyId) {
        return slot(familyId).engagementAlertsHeld();
    }

    private FamilySlot slot(String familyId) {
        FamilySlot slot = families.get(familyId);
        if (slot == null) {
            throw new IllegalArgumentException("no family " + familyId + " in this partition's engine");
        }
        return slot;
    }

    /**
     * Re-installs a family from its checkpoint, before its next events are applied. Its detections were
     * emitted before the checkpoint, so they are re-derived silently; its expiry timers are re-armed.
     */
    public void restore(FamilySnapshot snapshot) {
        FamilySlot slot = new FamilySlot(snapshot.familyId(), null, riskRules);
        snapshot.events().forEach(slot.timeline::add);
        slot.rules = settings.rules().restore(snapshot.rules(), slot.timeline, watermark().instant());
        if (slot.rules.wakeUpAfter().isPresent()) {
            waiting.add(snapshot.familyId());
            slot.waiting = true;
        }
        slot.eventsProcessed = snapshot.eventsProcessed();
        slot.restoreLastEventTimestamp(snapshot.lastEventTimestamp());
        slot.carry = snapshot.carry();
        slot.frozenBefore = snapshot.frozenBefore();
        slot.riskAlerts.restoreCarried(riskRules, snapshot.riskAbove());
        families.put(slot);
        if (snapshot.asOf() != null) {
            // Re-derives what was emitted up to the checkpoint silently.
            compute(slot, snapshot.asOf());
        }
        // Timers are armed from the family's own last computation, not from the partition's stream time: an
        // expiry the family missed while it was not loaded fires with the next step, and a family with none
        // is not recomputed at all, so its row stays exactly what an uninterrupted run would hold.
        Instant computedAt = snapshot.asOf() != null ? snapshot.asOf() : Instant.MIN;
        snapshot.events().forEach(event -> armExpiry(slot, event, computedAt));
        queueForPruning(slot);
        if (snapshot.windows() != null) {
            counters.restoreFamily(snapshot.windows());
        }
    }

    /** Applies a micro-batch of distinct events, in the order given (their arrival order). */
    public EngineOutput apply(List<Event> events) {
        if (!(events instanceof RandomAccess)) {
            events = new ArrayList<>(events); // read by index, ahead of the event being applied
        }
        List<FamilySlot> dirty = new ArrayList<>(events.size()); // about a family per event: no regrowth while it fills
        try {
            return apply(events, dirty);
        } finally {
            // Unmarks them once the step is over, also when it failed half-way, so that a next step marks them again.
            for (FamilySlot slot : dirty) {
                slot.dirtyAt = null;
            }
        }
    }

    private EngineOutput apply(List<Event> events, List<FamilySlot> dirty) {
        List<DetectionChange> detections = new ArrayList<>();
        // The dirty families' ids in dirty order, listed as they are marked: each family once, told by its slot's mark
        // (FamilySlot#changedIn) rather than by a set of ids, which cost a hash entry per family and step.
        List<String> changed = new ArrayList<>(events.size());
        nextStep();
        int n = events.size();
        retained.ensureCapacity(n);
        for (int e = 0; e < n; e++) {
            if (e % ReadAhead.GROUP == 0) {
                ahead.events(families, events, e, Math.min(n, e + ReadAhead.GROUP));
            }
            Event event = events.get(e);
            time.advance(event.eventTimestamp());
            FamilySlot slot = families.get(event.aggregateId());
            if (slot == null) {
                slot = new FamilySlot(event.aggregateId(), settings.rules().newFamily(event.aggregateId()), riskRules);
                families.put(slot);
            }
            slot.counters = counters.count(event, time.watermark(), slot.counters);
            add(slot, event);
            Instant now = streamTime().instant();
            markDirty(slot, dirty, changed, now);
            armExpiry(slot, event, now);
            // Rolling ranges: families whose events left a range as this arrival moved stream time are updated
            // too. Fired per arrival, not per batch, so a family's as_of is the stream time of the arrival that
            // last changed it, whatever the batch cuts (SPEC §7: the same stream gives the same results).
            List<FamilySlot> expired = fireExpiries(now);
            for (int i = 0; i < expired.size(); i++) {
                markDirty(expired.get(i), dirty, changed, now);
            }
            // Detections are evaluated on arrival (SPEC §3.3), each event in turn.
            List<DetectionChange> found = slot.rules.onEvent(slot.timeline, event, watermark().instant());
            if (!found.isEmpty()) {
                detections.addAll(found);
            }
            if (!slot.waiting && slot.rules.wakeUpAfter().isPresent()) {
                waiting.add(event.aggregateId());
                slot.waiting = true;
            }
        }
        if (n > 0) {
            time.arrived(); // the batch's arrival, for idle-advance: the wall clock read once, not per event
        }
        detections.addAll(absences());
        List<FamilyMetrics> metrics = new ArrayList<>(dirty.size());
        for (int d = 0; d < dirty.size(); d++) {
            if (d % ReadAhead.GROUP == 0) {
                ahead.computations(dirty, d, Math.min(dirty.size(), d + ReadAhead.GROUP));
            }
            FamilySlot slot = dirty.get(d);
            Computed computed = compute(slot, slot.dirtyAt);
            metrics.add(computed.metrics());
            detections.addAll(computed.detections());
        }
        counters.advanceTo(time.watermark());
        return output(metrics, detections, changed, prune());
    }

    /**
     * Marks a family for recomputation in this step as of {@code at}, the stream time after the arrival that
     * changed it (listed once: its {@link FamilySlot#dirtyAt} marks it, instead of a set of ids), and lists it as
     * changed. Its figures cannot change between that arrival and the end of the batch: any event leaving a range
     * later would fire a timer then.
     */
    private void markDirty(FamilySlot slot, List<FamilySlot> dirty, List<String> changed, Instant at) {
        if (slot.dirtyAt == null) {
            dirty.add(slot);
            markChanged(slot, changed);
        }
        slot.dirtyAt = at;
    }

    /** Lists the family as changed in this step, once. */
    private void markChanged(FamilySlot slot, List<String> changed) {
        if (slot.changedIn != step) {
            slot.changedIn = step;
            changed.add(slot.familyId());
        }
    }

    /** Numbers the next step: a family is listed as changed in it once its {@link FamilySlot#changedIn} is this. */
    private void nextStep() {
        if (++step == Integer.MAX_VALUE) {
            // Every 2^31 steps: no family may still hold a number the next steps will give out.
            for (FamilySlot slot : families.values()) {
                slot.changedIn = 0;
            }
            step = 1;
        }
    }

    private void add(FamilySlot slot, Event event) {
        if (slot.add(event)) {
            retained.add(event);
        }
        if (slot.timeline.first() == event) {
            queueForPruning(slot);
        }
    }

    /** Queues the family under its oldest event's time; an entry whose event is gone is skipped when it comes up. */
    private void queueForPruning(FamilySlot slot) {
        if (!slot.timeline.isEmpty()) {
            pruneQueue.add(slot.timeline.millisAt(0), 0, slot);
        }
    }

    /** @param horizon what {@link #prune()} answered in this step */
    private EngineOutput output(List<FamilyMetrics> metrics, List<DetectionChange> detections, List<String> dirty,
                                Instant horizon) {
        CounterChanges changes = counters.takeChanges();
        int late = (int) changes.lates().stream().map(l -> l.event().eventId()).distinct().count();
        List<String> changed = dirty;
        // A family whose counters changed is listed (the engine counts only its families' events), but for one restored
        // since the last step: those are looked up (the engine restores a slot before its counters; a family is never
        // dropped).
        for (String id : counters.takeChangedFamiliesBeside(id -> slot(id).changedIn == step)) {
            markChanged(slot(id), changed);
        }
        // Pruning moved these families' carry and forgot some of their events: their stored head must follow, or a
        // restore would pair an old carry with a history that no longer holds what lies between it and the horizon.
        // Judged absences leave the rule state too, detected or not.
        for (int i = 0; i < changedByTime.size(); i++) {
            markChanged(changedByTime.get(i), changed);
        }
        changedByTime.clear();
        // A detection's family is listed already: it arrived, was computed, or was judged by the watermark. A lookup
        // per detection would read each family's slot again, long out of the cache by now; tests run with assertions on.
        assert detections.stream().allMatch(d -> slot(d.detection().familyId()).changedIn == step)
                : "a detection of a family not listed as changed";
        List<Event> added = retained;
        retained = new ArrayList<>();
        EngineOutput.Pruned forgotten = null;
        if (horizon != null) {
            // After prune() no family holds an event before the horizon and every later one is kept: an event added
            // in this step is still held exactly when it is not before the horizon.
            added.removeIf(e -> e.eventTimestamp().isBefore(horizon));
            // Reported only when something was forgotten, so that most steps cost the store no delete; the range
            // still starts at the previous horizon, before which no family held anything since that step.
            if (forgotInStep && (prunedBefore == null || horizon.isAfter(prunedBefore))) {
                forgotten = new EngineOutput.Pruned(prunedBefore, horizon);
            }
            if (prunedBefore == null || horizon.isAfter(prunedBefore)) {
                prunedBefore = horizon;
            }
        }
        forgotInStep = false;
        return new EngineOutput(streamTime(), watermark(), metrics, detections, changes, late, changed, added, forgotten);
    }

    private record Computed(FamilyMetrics metrics, List<DetectionChange> detections) {
    }

    /**
     * The family's metrics as of {@code asOf}, and its engagement-alert and risk-rule changes. The level walk
     * continues from the last one when every new score lies after it (the common case: only new points are walked,
     * and only new rises can appear), and is skipped when it would walk nothing; otherwise it starts over from the
     * carry and is reconciled in full. The risk walk ({@link RiskAlerts}) likewise resumes after the last one, or at
     * the earliest new event.
     */
    private Computed compute(FamilySlot slot, Instant asOf) {
        long asOfMillis = EpochMillis.floor(asOf);
        if (slot.levelUnchangedAt(asOfMillis)) {
            // The common computation: no new score and none leaving its range, so no level step and no engagement
            // alert; the walk's state is neither read nor made again, only its instant moves.
            FamilyMetrics metrics = calculator.withLevelOf(slot.timeline, slot.eventsProcessed, slot.lastEventTimestamp,
                    slot.carry, slot.walked, asOf, asOfMillis);
            slot.unchangedTo(asOf, asOfMillis);
            return new Computed(metrics, riskChanges(slot, asOf));
        }
        boolean continues = slot.walkContinues();
        AlertHistory.Resume from = slot.walkFrom();
        long fromMillis = continues ? slot.walkedAtMillis : EpochMillis.floor(from.at());
        FamilyMetricsCalculator.View view = calculator.view(slot.timeline, slot.eventsProcessed, slot.lastEventTimestamp,
                slot.carry.recentScores(), from, fromMillis, asOf, asOfMillis);
        AlertHistory.Resume end = view.history().end();
        slot.walkedTo(end, history.firstLeavesMillis(end));
        // A walk that starts over from the carry has every step since it: reconciling needs no steps kept from before.
        List<AlertHistory.Step> judged = view.history().steps();
        EngagementAlerts alerts = slot.engagementAlertsFor(judged);
        List<DetectionChange> changes = alerts == null ? List.of()
                : continues ? alerts.append(judged, slot.frozenBefore) : alerts.reconcile(judged, slot.frozenBefore);
        List<DetectionChange> risk = riskChanges(slot, asOf);
        if (!risk.isEmpty()) {
            changes = new ArrayList<>(changes);
            changes.addAll(risk);
        }
        return new Computed(view.metrics(), changes);
    }

    private List<DetectionChange> riskChanges(FamilySlot slot, Instant asOf) {
        if (riskRules.isEmpty()) {
            return List.of(); // without rules there is nothing to walk, nor a frozen horizon to work out
        }
        return slot.riskAlerts.update(riskRules, slot.familyId(), riskHistory, slot.timeline, slot.carry, asOf,
                riskFrozenBefore(slot));
    }

    /**
     * Called periodically on a quiet partition: when idle-advance is on and nothing arrived for that long,
     * the watermark moves to wall clock − max out-of-orderness (SPEC §2). Empty when it did not move.
     */
    public java.util.Optional<EngineOutput> onIdleCheck() {
        return time.onIdleCheck().map(moved -> {
            nextStep();
            List<DetectionChange> detections = absences();
            counters.advanceTo(moved);
            return output(List.of(), detections, new ArrayList<>(), prune());
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
                if (slot != null) {
                    slot.waiting = false;
                }
            } else if (w.isAfter(wake.get())) {
                changes.addAll(slot.rules.onWatermark(slot.timeline, w));
                changedByTime.add(slot);
                if (slot.rules.wakeUpAfter().isEmpty()) {
                    it.remove();
                    slot.waiting = false;
                }
            }
        }
        return changes;
    }

    /** Arms the family's timer for the first moment after {@code now} that this event leaves a rolling range. */
    private void armExpiry(FamilySlot slot, Event event, Instant now) {
        long t = event.eventMillis();
        long nowMillis = EpochMillis.floor(now); // a whole millisecond is after an instant iff after its floor
        for (long range : rollingRangesMillis) {
            long leaves = t + range;
            if (leaves > nowMillis) {
                timers.arm(slot, leaves);
                return; // the longer range ends later
            }
        }
    }

    /** Families whose events left a rolling range by stream time {@code now}; each is re-armed for its next expiry. */
    private List<FamilySlot> fireExpiries(Instant now) {
        List<FamilySlot> due = timers.fire(now);
        for (int i = 0; i < due.size(); i++) {
            FamilySlot slot = due.get(i);
            Instant next = null;
            for (Duration range : rollingRanges) {
                Event leaving = slot.timeline.firstAfter(now.minus(range));
                if (leaving != null) {
                    Instant leaves = leaving.eventTimestamp().plus(range);
                    next = next == null || leaves.isBefore(next) ? leaves : next;
                }
            }
            if (next != null) {
                timers.arm(slot, next);
            }
        }
        return due;
    }

    /**
     * Risk points before this instant rest on pruned events (their 30-day range reaches before the pruning horizon)
     * and are no longer recomputed. Derived from {@link FamilySlot#frozenBefore} (the horizon + the short range), so
     * heads stored before risk rules existed give it too.
     */
    private Instant riskFrozenBefore(FamilySlot slot) {
        return riskFrozenBefore(slot.frozenBefore);
    }

    private Instant riskFrozenBefore(Instant frozenBefore) {
        return frozenBefore.equals(Instant.MIN) ? Instant.MIN
                : frozenBefore.minus(settings.engagement().shortRange()).plus(settings.engagement().longRange());
    }

    /**
     * Forgets every event before the horizon (watermark − retention) in every family; answers the horizon, or null
     * before the first watermark. The families it changed are added to {@link #changedByTime}.
     */
    private Instant prune() {
        // Pruning is done in the step, not on a clock, so it is part of the deterministic function. Only
        // families whose oldest event is behind the horizon are visited: a queue by oldest event time.
        if (watermark().isNone()) {
            return null;
        }
        Instant horizon = watermark().instant().minus(settings.retention());
        long horizonMillis = horizon.toEpochMilli();
        // Made once for every family pruned here: held by each, one instance instead of one per family.
        Instant carryAt = null;
        Instant frozenBefore = null;
        Instant riskFrozenBefore = null;
        while (!pruneQueue.isEmpty() && pruneQueue.firstMajor() < horizonMillis) {
            long firstMillis = pruneQueue.firstMajor();
            FamilySlot slot = pruneQueue.firstSlot();
            pruneQueue.removeFirst();
            if (slot.timeline.isEmpty() || slot.timeline.millisAt(0) != firstMillis) {
                continue; // an earlier event became the oldest, and has its own entry
            }
            if (carryAt == null) {
                carryAt = horizon.minusMillis(1);
                frozenBefore = horizon.plus(settings.engagement().shortRange());
                riskFrozenBefore = riskFrozenBefore(frozenBefore);
            }
            // The walk up to just before the horizon becomes the carry: it holds the latest score and the
            // scores still in range there, so forgetting older events changes no later level.
            if (carryAt.isAfter(slot.carry.at())) {
                List<Event> scores = slot.timeline.between(slot.carry.at(), carryAt, e -> e.newScore().isPresent());
                slot.carry = history.walk(scores, carryAt, slot.carry).end();
            }
            slot.timeline.pruneBefore(horizon);
            slot.freezeBefore(frozenBefore);
            slot.riskAlerts.freezeBefore(riskRules, riskFrozenBefore);
            queueForPruning(slot);
            changedByTime.add(slot);
            forgotInStep = true;
        }
        return horizon;
    }
}
