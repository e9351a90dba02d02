package dev.pulse.engine;

import dev.pulse.event.Event;
import dev.pulse.family.AlertHistory;
import dev.pulse.stream.time.EpochMillis;
import dev.pulse.rules.FamilyRules;
import dev.pulse.stream.operator.FamilyTimeline;
import dev.pulse.stream.window.WindowCounter;
import java.time.Instant;
import java.util.List;

/** Everything a partition engine keeps for one family. Mutable, owned by one engine. */
final class FamilySlot {

    final FamilyTimeline timeline;
    /** Null until the family's level first rises, as most never do: until then it would hold nothing. */
    private EngagementAlerts engagementAlerts;
    final RiskAlerts riskAlerts;
    FamilyRules rules;
    long eventsProcessed;
    Instant lastEventTimestamp;
    /**
     * {@link #lastEventTimestamp} in epoch milliseconds rounded down: each arrival compares its time with it, and the
     * instant it stands for is the family's previous event's, rarely still in cache.
     */
    private long lastEventMillis = Long.MIN_VALUE;
    /** The level walk at the pruning horizon: the state the retained scores continue from. */
    AlertHistory.Resume carry = AlertHistory.Resume.NONE;
    /** Level-history steps before this instant rest on pruned events and are no longer recomputed. */
    Instant frozenBefore = Instant.MIN;
    /**
     * The level walk of the last computation that walked, or null when the next one must start over from
     * {@link #carry}. Computations after it with nothing to walk ({@link #levelUnchangedAt}) leave it as it is and
     * move only {@link #walkedAt}: its own instant may be earlier, with no score and no expiry between the two.
     */
    AlertHistory.Resume walked;
    /** The instant of the last computation: where the level walk stands (null while {@link #walked} is). */
    Instant walkedAt;
    /** Whether {@link #walkedAt} moved past {@link #walked}'s own instant: told without reading the walk's instant. */
    boolean walkedMoved;
    /** {@link #walkedAt} as epoch milliseconds, rounded down: compared with event times without reading the instant. */
    long walkedAtMillis;
    /**
     * When the first score in range at {@link #walked} leaves the short range, as epoch milliseconds rounded down
     * ({@link Long#MAX_VALUE}: none in range): kept here so that a computation with no new score can tell the level
     * unchanged without reading the scores' events.
     */
    long walkedLeavesMillis;
    /** The time (epoch ms) of the earliest score event added since the last computation; {@link Long#MAX_VALUE}: none. */
    long earliestNewScore = Long.MAX_VALUE;
    /**
     * The instant of the family's armed expiry timer ({@link ExpiryTimers}) as its epoch second and nanosecond, or
     * {@link ExpiryTimers#NOT_ARMED}: the timer's instant is made per family, and would cost 24 B as an object.
     */
    long expirySecond = ExpiryTimers.NOT_ARMED;
    int expiryNano;
    /** The family's window counters, as the partition's counter last returned them (null before its first event). */
    WindowCounter.Handle counters;
    /**
     * Listed in the engine's set of families waiting for the watermark: an arrival of a family already listed skips
     * the set (a hash lookup per event) and its rules' wake-up time. Set only while listed.
     */
    boolean waiting;
    /**
     * The stream time after the arrival that last marked the family for recomputation in the current step: what
     * that computation is as of. Null outside a step and while unmarked, so it is also the mark.
     */
    Instant dirtyAt;
    /** The engine's step ({@code PartitionEngine#step}) that lists this family as changed; 0: none yet. */
    int changedIn;

    FamilySlot(String familyId, FamilyRules rules, RiskAlerts.Rules riskRules) {
        this.timeline = new FamilyTimeline(familyId);
        this.riskAlerts = RiskAlerts.of(riskRules);
        this.rules = rules;
    }

    String familyId() {
        return timeline.familyId();
    }

    /** Applies an arrival; answers whether the timeline holds it now (false: it held the same time and id already). */
    boolean add(Event event) {
        boolean added = timeline.add(event);
        if (added) {
            riskAlerts.added(event);
        }
        eventsProcessed++;
        long t = event.eventMillis();
        // a whole millisecond t is after an instant exactly when it is after the instant's millisecond rounded down
        if (lastEventTimestamp == null || t > lastEventMillis) {
            lastEventTimestamp = event.eventTimestamp();
            lastEventMillis = t;
        }
        if (event.newScore().isPresent() && t < earliestNewScore) {
            earliestNewScore = t;
        }
        return added;
    }

    /** Restores the largest event time seen (null: none), as a checkpoint holds it. */
    void restoreLastEventTimestamp(Instant timestamp) {
        lastEventTimestamp = timestamp;
        lastEventMillis = timestamp == null ? Long.MIN_VALUE : EpochMillis.floor(timestamp);
    }

    /**
     * The family's engagement alerts, when {@code steps} need them: an empty one judges steps without a rise to no
     * change and keeps nothing, so none is made for those.
     */
    EngagementAlerts engagementAlertsFor(List<AlertHistory.Step> steps) {
        if (engagementAlerts == null) {
            for (AlertHistory.Step step : steps) {
                if (step.rose()) {
                    engagementAlerts = new EngagementAlerts(familyId());
                    break;
                }
            }
        }
        return engagementAlerts;
    }

    /** Moves the frozen horizon (pruning): what lies before it is not recomputed, and its detections are let go. */
    void freezeBefore(Instant frozenBefore) {
        this.frozenBefore = frozenBefore;
        if (engagementAlerts != null) {
            engagementAlerts.forgetBefore(frozenBefore);
        }
    }

    /** How many engagement alerts the family holds, for tests. */
    int engagementAlertsHeld() {
        return engagementAlerts == null ? 0 : engagementAlerts.held();
    }

    /** Whether this computation's level walk continues the last one: no new score lies at or before it. */
    boolean walkContinues() {
        // Event times are whole milliseconds: after the instant exactly when after its millisecond rounded down.
        return walked != null && earliestNewScore > walkedAtMillis;
    }

    /**
     * Whether the level walk has nothing to walk up to {@code asOfMillis} (epoch ms, rounded down): it continues, no
     * new score came, and no score in range leaves by then. False when unsure (the same millisecond): then walk.
     */
    boolean levelUnchangedAt(long asOfMillis) {
        return walked != null && earliestNewScore == Long.MAX_VALUE && walkedLeavesMillis > asOfMillis;
    }

    /**
     * Where this computation's level walk starts: after the last walk when nothing new lies before it, at the last
     * computation's instant, else the carry.
     */
    AlertHistory.Resume walkFrom() {
        if (!walkContinues()) {
            return carry;
        }
        return walkedMoved ? walked.movedTo(walkedAt) : walked;
    }

    /** Takes the end of a computation's level walk. */
    void walkedTo(AlertHistory.Resume end, long leavesMillis) {
        walked = end;
        walkedAt = end.at();
        walkedAtMillis = EpochMillis.floor(walkedAt);
        walkedLeavesMillis = leavesMillis;
        walkedMoved = false;
        earliestNewScore = Long.MAX_VALUE;
    }

    /** Takes a computation that had nothing to walk ({@link #levelUnchangedAt}): the walk stands at {@code asOf} now. */
    void unchangedTo(Instant asOf, long asOfMillis) {
        if (asOfMillis > walkedAtMillis || asOfMillis == walkedAtMillis && asOf.isAfter(walkedAt)) {
            walkedAt = asOf;
            walkedAtMillis = asOfMillis;
            walkedMoved = true;
        }
    }
}
