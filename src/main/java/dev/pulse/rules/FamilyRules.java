package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One family's pattern detection (SPEC §3.3, §7; CONVENTIONS §3.7): a deterministic step function
 * {@code (state, event | watermark) -> (state', detection changes)} over the family's {@link FamilyTimeline}.
 * <ul>
 *   <li>{@link #onEvent}: on every arrival, late or not, re-evaluates the anchors the event can affect (its
 *       neighbourhood within each rule's window, before and after it in event time) and answers the diff against
 *       what was emitted before: Emitted, Updated (same id) or Retracted. So the active detections after any
 *       arrival order equal those of the in-order stream, except {@code history_ratio} rules, which are judged
 *       once, as known on arrival.</li>
 *   <li>{@link #onWatermark}: absences whose deadline the watermark passed (W &gt; D) fire, once.</li>
 * </ul>
 * Anchors older than {@code watermark − lookback} are frozen: an event that arrives even later than that does
 * not change or create detections there (it still counts in as-known-on-arrival history).
 * Mutable, single-threaded: owned by the partition lane that owns the timeline.
 */
public final class FamilyRules {

    private final String familyId;
    /** An array, not a list: one per family, and the list's wrapper would cost as much again as its few slots. */
    private final Matcher[] matchers;
    private final Ledger ledger;

    FamilyRules(String familyId, Matcher[] matchers, Ledger ledger) {
        this.familyId = familyId;
        this.matchers = matchers;
        this.ledger = ledger;
    }

    public String familyId() {
        return familyId;
    }

    /**
     * Evaluates an arrived event.
     *
     * @param timeline  the family's timeline, already holding {@code event}
     * @param event     a distinct event (duplicates are dropped upstream)
     * @param watermark the partition's current watermark ({@link Instant#MIN} before any); it moves the frozen horizon
     * @return the changes, in rule order, then anchor order; empty when nothing changed
     */
    public List<DetectionChange> onEvent(FamilyTimeline timeline, Event event, Instant watermark) {
        check(timeline);
        // a lookup per event is a cost the pipeline should not pay; tests run with assertions on
        assert timeline.all().contains(event) : "event " + event.eventId() + " must be added to the timeline before it is evaluated";
        ledger.advance(watermark);
        for (Matcher m : matchers) {
            m.onEvent(timeline, event, ledger);
        }
        return ledger.drain();
    }

    /**
     * Advances the watermark: absences whose deadline D it passed ({@code watermark > D}) are judged and, when
     * true, emitted (detected at D); state behind the frozen horizon is forgotten. Call it after each batch, or
     * only when {@code watermark} is after {@link #wakeUpAfter()}.
     */
    public List<DetectionChange> onWatermark(FamilyTimeline timeline, Instant watermark) {
        check(timeline);
        ledger.advance(watermark);
        for (Matcher m : matchers) {
            m.onWatermark(timeline, watermark, ledger);
        }
        return ledger.drain();
    }

    /** {@link #onWatermark} has something to fire only for a watermark after this instant; empty: nothing pending. */
    public Optional<Instant> wakeUpAfter() {
        Instant earliest = null;
        for (Matcher m : matchers) {
            Instant at = m.wakeUpAfter();
            if (at != null && (earliest == null || at.isBefore(earliest))) {
                earliest = at;
            }
        }
        return Optional.ofNullable(earliest);
    }

    /** The detections of revisable rules currently held as emitted and not retracted (unfrozen anchors only). */
    public List<Detection> revisable() {
        List<Detection> out = new ArrayList<>();
        for (Ledger.Active a : ledger.active()) {
            out.add(a.detection());
        }
        out.sort(Comparator.comparing(Detection::pattern).thenComparing(Detection::anchor));
        return out;
    }

    /** The persisted part of this state, for the checkpoint. */
    public FamilyRulesState snapshot() {
        List<FamilyRulesState.History> histories = new ArrayList<>();
        List<FamilyRulesState.PendingAbsence> pending = new ArrayList<>();
        for (Matcher m : matchers) {
            if (m instanceof HistoryRatioMatcher h) {
                histories.add(h.history());
            } else if (m instanceof AbsenceMatcher a) {
                pending.addAll(a.pending());
            }
        }
        return new FamilyRulesState(familyId, ledger.frozenBefore(), histories, pending);
    }

    void restore(FamilyRulesState state, FamilyTimeline timeline, Instant watermark) {
        ledger.freezeBefore(state.frozenBefore());
        ledger.advance(watermark);
        for (Matcher m : matchers) {
            String pattern = m.rule().name();
            if (m instanceof HistoryRatioMatcher h) {
                state.histories().stream().filter(s -> s.pattern().equals(pattern)).findFirst().ifPresent(h::restore);
            } else if (m instanceof AbsenceMatcher a) {
                state.pending().stream().filter(p -> p.pattern().equals(pattern)).forEach(a::restore);
            }
        }
        ledger.silently(() -> {
            for (Matcher m : matchers) {
                m.rederive(timeline, ledger);
            }
        });
    }

    private void check(FamilyTimeline timeline) {
        Objects.requireNonNull(timeline, "timeline");
        if (!timeline.familyId().equals(familyId)) {
            throw new IllegalArgumentException("timeline of " + timeline.familyId() + " given to the rules of " + familyId);
        }
    }
}
