package dev.pulse.rules;

import dev.pulse.event.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One family's record of what its revisable rules have emitted, and the diff against it (CONVENTIONS §3.7):
 * an anchor's new result is compared with its emitted detection, giving Emitted, Updated (same id) or
 * Retracted. Anchors older than {@code frozenBefore} (watermark − the longest rule lookback) are no longer
 * re-evaluated, because the events their conditions read may have been pruned; their records are dropped.
 * Mutable, single-threaded.
 */
final class Ledger {

    record Key(String pattern, String anchor) {
    }

    record Active(Detection detection, Instant anchorTime) {
    }

    private final String familyId;
    /** Null until the first revisable detection: most families never have one, and an empty map still costs. */
    private Map<Key, Active> active;
    /**
     * {@link #changes} while {@link #silently} runs: a list of its own, which {@link #record} never adds to. A flag
     * instead would take the ledger, one per family, from 32 to 40 B.
     */
    private static final List<DetectionChange> SILENT = Collections.unmodifiableList(new ArrayList<>(0));

    /** Null between two steps that changed something; {@link #SILENT} while re-deriving. */
    private List<DetectionChange> changes;
    /**
     * The frozen horizon, as its seconds and nanoseconds rather than an {@code Instant}: every event compares the
     * moved horizon with it, and the ledger's own fields are in the cache line its family id was just read from,
     * where an instant of its own would be one more cache miss per event (8 B more per family).
     */
    private long frozenSeconds = Instant.MIN.getEpochSecond();
    private int frozenNanos;
    /**
     * At most the earliest anchor time held (may lag after removals), in epoch milliseconds (anchors are events,
     * whose times are whole milliseconds); {@link Long#MAX_VALUE} when nothing is held.
     */
    private long earliestAnchorMs = Long.MAX_VALUE;

    Ledger(String familyId) {
        this.familyId = familyId;
    }

    /** For {@link FamilyRules#prefetch}: reads the fields every event reads. */
    long prefetch() {
        return frozenSeconds + earliestAnchorMs;
    }

    String familyId() {
        return familyId;
    }

    Instant frozenBefore() {
        return Instant.ofEpochSecond(frozenSeconds, frozenNanos);
    }

    boolean frozen(Instant anchorTime) {
        return compareToHorizon(anchorTime.getEpochSecond(), anchorTime.getNano()) < 0;
    }

    /** {@link #frozen(Instant)} of the instant {@code epochMillis}. */
    boolean frozen(long epochMillis) {
        return compareToHorizon(Math.floorDiv(epochMillis, 1000), Math.floorMod(epochMillis, 1000) * 1_000_000L) < 0;
    }

    /** The instant ({@code seconds}, {@code nanos}) compared with the frozen horizon, as {@link Instant#compareTo}. */
    private int compareToHorizon(long seconds, long nanos) {
        return seconds != frozenSeconds ? Long.compare(seconds, frozenSeconds) : Long.compare(nanos, frozenNanos);
    }

    /**
     * Moves the frozen horizon to {@code watermark − lookback} (never back) and forgets frozen records.
     *
     * @param horizon the rule set's, shared by its families (not held by each)
     */
    void advance(FrozenHorizon horizon, Instant watermark) {
        freezeBefore(horizon.of(watermark));
    }

    void freezeBefore(Instant horizon) {
        if (compareToHorizon(horizon.getEpochSecond(), horizon.getNano()) <= 0) {
            return; // not after the present horizon
        }
        frozenSeconds = horizon.getEpochSecond();
        frozenNanos = horizon.getNano();
        if (earliestAnchorMs != Long.MAX_VALUE && frozen(earliestAnchorMs)) {
            active.values().removeIf(a -> frozen(a.anchorTime()));
            earliestAnchorMs = active.values().stream().mapToLong(a -> a.anchorTime().toEpochMilli()).min()
                    .orElse(Long.MAX_VALUE);
        }
    }

    /** Records the current result for a revisable anchor, emitting the difference to what was emitted before. */
    void settle(Rule rule, Event anchor, Found found) {
        Instant anchorTime = anchor.eventTimestamp();
        if (frozen(anchorTime) || found == null && (active == null || active.isEmpty())) {
            return;
        }
        if (active == null) {
            active = new HashMap<>();
        }
        Key key = new Key(rule.name(), anchor.eventId());
        Active before = active.get(key);
        if (found == null) {
            if (before != null) {
                active.remove(key);
                record(new DetectionChange.Retracted(before.detection()));
            }
            return;
        }
        // Reuse the id: hashing it again on every re-evaluation would be wasted work.
        String id = before != null ? before.detection().detectionId() : DetectionId.of(rule.name(), familyId, anchor.eventId());
        Detection now = detection(id, rule, anchor.eventId(), found);
        if (before == null) {
            active.put(key, new Active(now, anchorTime));
            earliestAnchorMs = Math.min(earliestAnchorMs, anchorTime.toEpochMilli());
            record(new DetectionChange.Emitted(now));
        } else if (!before.detection().equals(now)) {
            active.put(key, new Active(now, anchorTime));
            record(new DetectionChange.Updated(now));
        }
    }

    /** Emits a detection that is never revisited (as known on arrival, or an absence whose deadline fired). */
    void emitOnce(Rule rule, Event anchor, Found found) {
        emitOnce(rule, anchor.eventId(), found);
    }

    /** {@link #emitOnce(Rule, Event, Found)} for an anchor that is not one event (a pair of a join). */
    void emitOnce(Rule rule, String anchor, Found found) {
        record(new DetectionChange.Emitted(detection(DetectionId.of(rule.name(), familyId, anchor), rule, anchor, found)));
    }

    /** Runs {@code work} without recording changes: re-deriving what was already emitted before a restart. */
    void silently(Runnable work) {
        List<DetectionChange> held = changes;
        changes = SILENT;
        try {
            work.run();
        } finally {
            changes = held;
        }
    }

    List<DetectionChange> drain() {
        if (changes == null) {
            return List.of();
        }
        List<DetectionChange> out = List.copyOf(changes);
        changes = null;
        return out;
    }

    Collection<Active> active() {
        return active == null ? List.of() : active.values();
    }

    private void record(DetectionChange change) {
        if (changes != SILENT) {
            if (changes == null) {
                changes = new ArrayList<>(2);
            }
            changes.add(change);
        }
    }

    private Detection detection(String id, Rule rule, String anchor, Found found) {
        List<MatchedEvent> matched = new ArrayList<>(found.matched().size());
        for (Event e : found.matched()) {
            matched.add(MatchedEvent.of(e));
        }
        return new Detection(id, rule.name(), familyId, anchor, rule.severity(), rule.confidence(), matched,
                found.detectedAt(), found.details());
    }
}
