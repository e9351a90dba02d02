package dev.pulse.engine;

import dev.pulse.event.Event;
import dev.pulse.family.AlertHistory;
import dev.pulse.rules.FamilyRules;
import dev.pulse.stream.operator.FamilyTimeline;
import dev.pulse.stream.window.WindowCounter;
import java.time.Instant;
import java.util.ArrayList;
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
    /** The level walk at the pruning horizon: the state the retained scores continue from. */
    AlertHistory.Resume carry = AlertHistory.Resume.NONE;
    /** Level-history steps before this instant rest on pruned events and are no longer recomputed. */
    Instant frozenBefore = Instant.MIN;
    /** The level walk at the last computation, or null when the next one must start over from {@link #carry}. */
    AlertHistory.Resume walked;
    /**
     * The steps of the level history since {@link #carry}, for reconciling engagement alerts; null while there are
     * none, as for most families (an empty list would still cost its object).
     */
    private List<AlertHistory.Step> steps;
    /** The earliest score event added since the last computation (null if none). */
    Instant earliestNewScore;
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
        if (lastEventTimestamp == null || event.eventTimestamp().isAfter(lastEventTimestamp)) {
            lastEventTimestamp = event.eventTimestamp();
        }
        if (event.newScore().isPresent() && (earliestNewScore == null || event.eventTimestamp().isBefore(earliestNewScore))) {
            earliestNewScore = event.eventTimestamp();
        }
        return added;
    }

    /**
     * The family's engagement alerts, when {@code steps} need them: an empty one judges steps without a rise to no
     * change and keeps nothing, so none is made for those.
     */
    EngagementAlerts engagementAlertsFor(List<AlertHistory.Step> steps) {
        if (engagementAlerts == null && steps.stream().anyMatch(AlertHistory.Step::rose)) {
            engagementAlerts = new EngagementAlerts(familyId());
        }
        return engagementAlerts;
    }

    /** The steps of the level history since {@link #carry}, oldest first. */
    List<AlertHistory.Step> steps() {
        return steps == null ? List.of() : steps;
    }

    /** Takes a walk's steps: after the held ones when it continued the last walk, else instead of them. */
    void keepSteps(boolean continues, List<AlertHistory.Step> walked) {
        if (!continues && steps != null) {
            steps.clear();
        }
        if (walked.isEmpty()) {
            return;
        }
        if (steps == null) {
            steps = new ArrayList<>(walked);
        } else {
            steps.addAll(walked);
        }
    }

    /** Forgets the steps before the pruning horizon. */
    void forgetStepsBefore(Instant horizon) {
        if (steps != null) {
            steps.removeIf(step -> step.at().isBefore(horizon));
        }
    }

    /** Where this computation's level walk starts: after the last walk when nothing new lies before it. */
    AlertHistory.Resume walkFrom() {
        boolean continues = walked != null && (earliestNewScore == null || earliestNewScore.isAfter(walked.at()));
        return continues ? walked : carry;
    }
}
