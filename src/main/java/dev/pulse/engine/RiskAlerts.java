package dev.pulse.engine;

import dev.pulse.event.Event;
import dev.pulse.family.AlertHistory;
import dev.pulse.stream.time.EpochMillis;
import dev.pulse.family.RiskHistory;
import dev.pulse.family.RiskModel;
import dev.pulse.rules.Detection;
import dev.pulse.rules.DetectionChange;
import dev.pulse.rules.DetectionId;
import dev.pulse.rules.MatchedEvent;
import dev.pulse.rules.RiskRule;
import dev.pulse.stream.operator.FamilyTimeline;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The risk rules of one family (SPEC §3.7, {@code risk_high}): one detection per point where the risk crosses a
 * rule's threshold upwards, anchored at the event or the expiry instant (SPEC §7). Keeps the crossings both ways
 * since the frozen horizon, so a walk can resume at any point knowing whether each threshold was exceeded just
 * before it; a late event re-walks from its own point only, and the crossings from there on are diffed against
 * those emitted: Emitted, Updated (same id) or Retracted. Mutable, single-threaded.
 */
final class RiskAlerts {

    /** The state of every family when there are no rules: it never changes, so one instance serves them all. */
    private static final RiskAlerts NONE = new RiskAlerts();
    /**
     * Per rule: whether the risk exceeded its threshold at the last point before the frozen horizon; null while
     * none did. This and the two below are per family, and empty for most: made on first use.
     */
    private boolean[] carried;
    /** Every crossing, up or down, at or after the frozen horizon, in position order; null while none. */
    private List<RiskHistory.Step> steps;
    /** The detections of the up-crossings in {@link #steps}: what was emitted and is active; null while none. */
    private Map<Key, Detection> emitted;
    /**
     * The stream time the last walk went up to (every point at or before it is in {@link #steps}), in epoch
     * milliseconds rounded down, {@link #NOT_WALKED} before the first: as millis, read without the instant's object
     * (a family's, rarely in cache), and points are whole milliseconds, so the rounding loses nothing they are
     * compared with.
     */
    private long walkedTo = NOT_WALKED;
    /** No stream time is this early: {@link RiskHistory#walk} reads its instant's milliseconds, which must fit a long. */
    private static final long NOT_WALKED = Long.MIN_VALUE;
    /** The earliest event added since the last walk, or null. */
    private RiskHistory.Position earliestNew;

    private record Key(int rule, String anchor) {
    }

    /** The risk rules and their thresholds, made once per engine and shared by its families. */
    record Rules(List<RiskRule> rules, List<BigDecimal> thresholds) {

        static Rules of(List<RiskRule> rules) {
            return new Rules(List.copyOf(rules), rules.stream().map(RiskRule::above).toList());
        }

        boolean isEmpty() {
            return rules.isEmpty();
        }

        int size() {
            return rules.size();
        }

        RiskRule get(int k) {
            return rules.get(k);
        }
    }

    private RiskAlerts() {
    }

    /**
     * A family's risk alerts: with no rules, the one shared state that never changes. The rules and the family's id
     * are the engine's and the slot's, passed to the methods that read them rather than held by every family's
     * alerts; pass the same rules as here throughout.
     */
    static RiskAlerts of(Rules rules) {
        return rules.isEmpty() ? NONE : new RiskAlerts();
    }

    void added(Event event) {
        if (this == NONE) {
            return;
        }
        RiskHistory.Position p = RiskHistory.Position.of(event);
        if (earliestNew == null || p.compareTo(earliestNew) < 0) {
            earliestNew = p;
        }
    }

    /**
     * Walks the risk up to {@code asOf}: only the points after the last walk when every new event lies after it,
     * else from the earliest new event on (never before {@code frozenBefore}, whose points rest on pruned events).
     */
    List<DetectionChange> update(Rules rules, String familyId, RiskHistory history, FamilyTimeline timeline,
                                 AlertHistory.Resume carry, Instant asOf, Instant frozenBefore) {
        if (rules.isEmpty()) {
            return List.of();
        }
        RiskHistory.Position frozen = RiskHistory.Position.startOf(frozenBefore);
        RiskHistory.Position from;
        // Every held step is at or before walkedTo: a walk that resumes after it keeps them all, unsearched.
        boolean afterEveryStep = walkedTo != NOT_WALKED && (earliestNew == null || earliestNew.millis() > walkedTo);
        if (afterEveryStep) {
            from = new RiskHistory.Position(walkedTo + 1, null); // the first point of the next millisecond: its expiries
        } else {
            from = walkedTo == NOT_WALKED || earliestNew == null ? frozen : earliestNew;
        }
        if (from.compareTo(frozen) < 0) {
            from = frozen;
        }
        earliestNew = null;
        walkedTo = Math.max(walkedTo, EpochMillis.floor(asOf));
        // the state just before `from`: the last crossing before it, or what was carried to the frozen horizon
        List<RiskHistory.Step> held = steps != null ? steps : List.of();
        int keep = afterEveryStep ? held.size() : firstAtOrAfter(held, from);
        boolean[] above = stateBefore(rules, held, keep);
        List<RiskHistory.Step> walked = history.walk(timeline, carry, from, asOf, rules.thresholds(), above);
        if (walked.isEmpty() && keep == held.size()) {
            return List.of(); // the common step: nothing crossed, and nothing before was re-walked
        }
        if (steps == null) {
            steps = new ArrayList<>(walked.size());
            emitted = new HashMap<>();
        }
        Map<Key, Detection> before = new LinkedHashMap<>();
        for (RiskHistory.Step s : steps.subList(keep, steps.size())) {
            if (s.above()) {
                Key key = new Key(s.threshold(), s.anchor());
                before.put(key, emitted.remove(key));
            }
        }
        steps.subList(keep, steps.size()).clear();
        steps.addAll(walked);
        List<DetectionChange> changes = new ArrayList<>();
        for (RiskHistory.Step s : walked) {
            if (s.above()) {
                Key key = new Key(s.threshold(), s.anchor());
                Detection was = before.remove(key);
                Detection now = detection(rules, familyId, s, was);
                emitted.put(key, now);
                if (was == null) {
                    changes.add(new DetectionChange.Emitted(now));
                } else if (!was.equals(now)) {
                    changes.add(new DetectionChange.Updated(now));
                }
            }
        }
        for (Detection gone : before.values()) {
            if (gone != null) {
                changes.add(new DetectionChange.Retracted(gone));
            }
        }
        return changes;
    }

    /**
     * The index of the first step at or after {@code from} (the size when none), for a walk that goes back to a late
     * event. Searched rather than walked: a family whose risk goes back and forth holds many steps.
     */
    private static int firstAtOrAfter(List<RiskHistory.Step> steps, RiskHistory.Position from) {
        int lo = 0;
        int hi = steps.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (steps.get(mid).position().compareTo(from) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Per rule, whether the risk exceeded its threshold just before the step at {@code end}: as the last of the steps
     * before it on that threshold left it, or as carried to the frozen horizon when none did.
     */
    private boolean[] stateBefore(Rules rules, List<RiskHistory.Step> steps, int end) {
        boolean[] above = carried != null ? carried.clone() : new boolean[rules.size()];
        if (end == 0) {
            return above; // the family's risk never crossed since the horizon, as for most
        }
        boolean[] known = new boolean[rules.size()];
        int unknown = rules.size();
        for (int i = end - 1; i >= 0 && unknown > 0; i--) {
            RiskHistory.Step s = steps.get(i);
            if (!known[s.threshold()]) {
                known[s.threshold()] = true;
                above[s.threshold()] = s.above();
                unknown--;
            }
        }
        return above;
    }

    /** Forgets the crossings before the frozen horizon, carrying the state they leave. */
    void freezeBefore(Rules rules, Instant frozenBefore) {
        if (steps == null) {
            return;
        }
        RiskHistory.Position frozen = RiskHistory.Position.startOf(frozenBefore);
        int drop = 0;
        while (drop < steps.size() && steps.get(drop).position().compareTo(frozen) < 0) {
            RiskHistory.Step s = steps.get(drop++);
            if (carried == null) {
                carried = new boolean[rules.size()];
            }
            carried[s.threshold()] = s.above();
            if (s.above()) {
                emitted.remove(new Key(s.threshold(), s.anchor()));
            }
        }
        steps.subList(0, drop).clear();
    }

    /** The names of the rules whose threshold the risk exceeded at the last point before the frozen horizon. */
    Set<String> carriedAbove(Rules rules) {
        Set<String> names = new LinkedHashSet<>();
        for (int k = 0; carried != null && k < rules.size(); k++) {
            if (carried[k]) {
                names.add(rules.get(k).name());
            }
        }
        return names;
    }

    /** Restores {@link #carriedAbove()}; a name no rule has (the rules changed) is ignored. */
    void restoreCarried(Rules rules, Set<String> above) {
        for (int k = 0; k < rules.size(); k++) {
            if (above.contains(rules.get(k).name())) {
                if (carried == null) {
                    carried = new boolean[rules.size()];
                }
                carried[k] = true;
            }
        }
    }

    private Detection detection(Rules rules, String familyId, RiskHistory.Step s, Detection was) {
        RiskRule rule = rules.get(s.threshold());
        List<MatchedEvent> matched = s.cause() != null ? List.of(MatchedEvent.of(s.cause()))
                : s.leaving().stream().map(MatchedEvent::of).toList();
        RiskModel.Risk risk = s.risk();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("risk_score", risk.score());
        details.put("risk_factors", risk.factors());
        details.put("model_version", risk.modelVersion());
        details.put("threshold", rule.above());
        // Reuse the id of what was emitted: hashing it again on every re-walk would be wasted work.
        String id = was != null ? was.detectionId() : DetectionId.of(rule.name(), familyId, s.anchor());
        return new Detection(id, rule.name(), familyId, s.anchor(), rule.severity(), rule.confidence(), matched, s.at(), details);
    }
}
