package dev.pulse.engine;

import dev.pulse.event.Event;
import dev.pulse.family.AlertHistory;
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

    private final String familyId;
    private final List<RiskRule> rules;
    private final List<BigDecimal> thresholds;
    /** Per rule: whether the risk exceeded its threshold at the last point before the frozen horizon. */
    private final boolean[] carried;
    /** Every crossing, up or down, at or after the frozen horizon, in position order. */
    private final List<RiskHistory.Step> steps = new ArrayList<>();
    /** The detections of the up-crossings in {@link #steps}: what was emitted and is active. */
    private final Map<Key, Detection> emitted = new HashMap<>();
    /** The stream time the last walk went up to (every point at or before it is in {@link #steps}); null: none yet. */
    private Instant walkedTo;
    /** The earliest event added since the last walk, or null. */
    private RiskHistory.Position earliestNew;

    private record Key(int rule, String anchor) {
    }

    RiskAlerts(String familyId, List<RiskRule> rules) {
        this.familyId = familyId;
        this.rules = rules;
        this.thresholds = rules.stream().map(RiskRule::above).toList();
        this.carried = new boolean[rules.size()];
    }

    void added(Event event) {
        if (rules.isEmpty()) {
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
    List<DetectionChange> update(RiskHistory history, FamilyTimeline timeline, AlertHistory.Resume carry, Instant asOf,
                                 Instant frozenBefore) {
        if (rules.isEmpty()) {
            return List.of();
        }
        RiskHistory.Position frozen = RiskHistory.Position.startOf(frozenBefore);
        RiskHistory.Position from;
        if (walkedTo != null && (earliestNew == null || earliestNew.millis() > walkedTo.toEpochMilli())) {
            from = RiskHistory.Position.startOf(walkedTo.plusMillis(1));
        } else {
            from = walkedTo == null || earliestNew == null ? frozen : earliestNew;
        }
        if (from.compareTo(frozen) < 0) {
            from = frozen;
        }
        earliestNew = null;
        if (walkedTo == null || asOf.isAfter(walkedTo)) {
            walkedTo = asOf;
        }
        // the state just before `from`: the last crossing before it, or what was carried to the frozen horizon
        boolean[] above = carried.clone();
        int keep = 0;
        while (keep < steps.size() && steps.get(keep).position().compareTo(from) < 0) {
            RiskHistory.Step s = steps.get(keep++);
            above[s.threshold()] = s.above();
        }
        List<RiskHistory.Step> walked = history.walk(timeline, carry, from, asOf, thresholds, above);
        if (walked.isEmpty() && keep == steps.size()) {
            return List.of(); // the common step: nothing crossed, and nothing before was re-walked
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
                Detection now = detection(s, was);
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

    /** Forgets the crossings before the frozen horizon, carrying the state they leave. */
    void freezeBefore(Instant frozenBefore) {
        RiskHistory.Position frozen = RiskHistory.Position.startOf(frozenBefore);
        int drop = 0;
        while (drop < steps.size() && steps.get(drop).position().compareTo(frozen) < 0) {
            RiskHistory.Step s = steps.get(drop++);
            carried[s.threshold()] = s.above();
            if (s.above()) {
                emitted.remove(new Key(s.threshold(), s.anchor()));
            }
        }
        steps.subList(0, drop).clear();
    }

    /** The names of the rules whose threshold the risk exceeded at the last point before the frozen horizon. */
    Set<String> carriedAbove() {
        Set<String> names = new LinkedHashSet<>();
        for (int k = 0; k < rules.size(); k++) {
            if (carried[k]) {
                names.add(rules.get(k).name());
            }
        }
        return names;
    }

    /** Restores {@link #carriedAbove()}; a name no rule has (the rules changed) is ignored. */
    void restoreCarried(Set<String> above) {
        for (int k = 0; k < rules.size(); k++) {
            carried[k] = above.contains(rules.get(k).name());
        }
    }

    private Detection detection(RiskHistory.Step s, Detection was) {
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
