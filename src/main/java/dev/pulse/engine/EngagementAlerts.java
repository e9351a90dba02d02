package dev.pulse.engine;

import dev.pulse.family.AlertHistory;
import dev.pulse.family.AlertLevel;
import dev.pulse.rules.Detection;
import dev.pulse.rules.DetectionChange;
import dev.pulse.rules.MatchedEvent;
import dev.pulse.rules.Severity;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code engagement_alert} pattern of one family (SPEC §3.3, §7): one detection per rise of the
 * alert level, anchored at the rising score event or at the expiry instant. Recomputed from the level
 * history after every change and diffed against what was emitted, so a score landing between two
 * others that changes the level history updates or retracts exactly the affected detections.
 * Mutable, single-threaded.
 */
final class EngagementAlerts {

    static final String PATTERN = "engagement_alert";

    private final String familyId;
    /** By anchor; null until the first rise, which most families never have (an empty map still costs). */
    private Map<String, Detection> emitted;

    EngagementAlerts(String familyId) {
        this.familyId = familyId;
    }

    /**
     * @param frozenBefore detections before this instant are no longer recomputed (their evidence was pruned)
     */
    List<DetectionChange> reconcile(List<AlertHistory.Step> steps, Instant frozenBefore) {
        Map<String, Detection> emitted = this.emitted != null ? this.emitted : Map.of();
        Map<String, Detection> now = new LinkedHashMap<>();
        for (AlertHistory.Step step : steps) {
            if (step.rose() && !step.at().isBefore(frozenBefore)) {
                Detection before = emitted.get(step.anchor());
                // Most steps are unchanged between two batches: reuse the detection instead of rehashing its id.
                Detection d = before != null && sameAs(before, step) ? before : detection(step);
                now.put(d.anchor(), d);
            }
        }
        List<DetectionChange> changes = new ArrayList<>();
        for (Detection d : now.values()) {
            Detection before = emitted.get(d.anchor());
            if (before == null) {
                changes.add(new DetectionChange.Emitted(d));
            } else if (!before.equals(d)) {
                changes.add(new DetectionChange.Updated(d));
            }
        }
        // forEach, not an iterator: a view of the map, once asked for, stays with it for good
        List<String> retracted = new ArrayList<>(0);
        emitted.forEach((anchor, before) -> {
            if (!now.containsKey(anchor) && !before.detectedAt().isBefore(frozenBefore)) {
                changes.add(new DetectionChange.Retracted(before));
                retracted.add(anchor);
            }
        });
        retracted.forEach(emitted::remove);
        if (!now.isEmpty()) {
            if (this.emitted == null) {
                this.emitted = new LinkedHashMap<>();
            }
            this.emitted.putAll(now);
        }
        return changes;
    }

    /**
     * Forgets the detections before {@code frozenBefore}, the family's new frozen horizon: they are never recomputed,
     * retracted or looked up again (a later step's anchor is a later event or instant), and a family kept them for its
     * whole life, one more per rise.
     */
    void forgetBefore(Instant frozenBefore) {
        if (emitted != null) {
            emitted.values().removeIf(d -> d.detectedAt().isBefore(frozenBefore));
            if (emitted.isEmpty()) {
                emitted = null;
            }
        }
    }

    /** How many detections this holds, for tests. */
    int held() {
        return emitted == null ? 0 : emitted.size();
    }

    /**
     * Takes steps that extend the history past everything seen before: they can only add rises, never
     * change or retract an emitted one.
     */
    List<DetectionChange> append(List<AlertHistory.Step> newSteps, Instant frozenBefore) {
        List<DetectionChange> changes = new ArrayList<>();
        for (AlertHistory.Step step : newSteps) {
            if (step.rose() && !step.at().isBefore(frozenBefore) && (emitted == null || !emitted.containsKey(step.anchor()))) {
                Detection d = detection(step);
                if (emitted == null) {
                    emitted = new LinkedHashMap<>();
                }
                emitted.put(d.anchor(), d);
                changes.add(new DetectionChange.Emitted(d));
            }
        }
        return changes;
    }

    private static boolean sameAs(Detection d, AlertHistory.Step step) {
        return d.detectedAt().equals(step.at())
                && d.severity().wireName().equals(step.to().wireName())
                && step.from().wireName().equals(d.details().get("from_level"))
                && java.util.Objects.equals(step.reason(), d.details().get("reason"))
                && (step.cause() != null
                        ? d.matchedEvents().size() == 1 && d.matchedEvents().get(0).eventId().equals(step.cause().eventId())
                        : d.matchedEvents().equals(step.scoresInRange().stream().map(MatchedEvent::of).toList()));
    }

    private Detection detection(AlertHistory.Step step) {
        List<MatchedEvent> matched = step.cause() != null
                ? List.of(MatchedEvent.of(step.cause()))
                : step.scoresInRange().stream().map(MatchedEvent::of).toList();
        // Made immutable at once: a detection copies its details into an immutable map anyway (Map.copyOf keeps
        // this one), whose order is unspecified either way.
        Map<String, Object> details = step.reason() == null
                ? Map.of("from_level", step.from().wireName(), "to_level", step.to().wireName())
                : Map.of("from_level", step.from().wireName(), "to_level", step.to().wireName(), "reason", step.reason());
        return Detection.of(PATTERN, familyId, step.anchor(), severityOf(step.to()), BigDecimal.ONE, matched, step.at(), details);
    }

    /** The severity of a rise to {@code level}, the one of the same wire name (a rise never ends at none). */
    static Severity severityOf(AlertLevel level) {
        return switch (level) {
            case WATCH -> Severity.WATCH;
            case WARNING -> Severity.WARNING;
            case CRITICAL -> Severity.CRITICAL;
            case NONE -> throw new java.util.NoSuchElementException("no severity for level " + level.wireName());
        };
    }
}
