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

    /** The rule set's matchers, shared by its families. */
    private final SharedMatchers shared;
    /**
     * The family's own stateful matchers, by {@link SharedMatchers#stateIndex}: null (the array, or an entry) while
     * the family holds no state for them, as most never do; the shared empty one stands in.
     */
    private Matcher.Stateful[] own;
    private final Ledger ledger;

    FamilyRules(SharedMatchers shared, Ledger ledger) {
        this.shared = shared;
        this.ledger = ledger;
    }

    /**
     * Reads what {@link #onEvent} reads first of these families' rule state (the first {@code n}; nulls are
     * skipped), for a caller reading ahead of its events ({@code engine.ReadAhead}): the ledger and the
     * {@code unusual_amount} history. Changes nothing; answers a sum of what it read.
     */
    public static long prefetch(Object[] rules, int n) {
        long sink = 0;
        for (int k = 0; k < n; k++) {
            if (rules[k] instanceof FamilyRules r) {
                sink += r.ledger.prefetch();
                Matcher.Stateful[] own = r.own;
                if (own != null) {
                    for (Matcher.Stateful m : own) {
                        if (m instanceof HistoryRatioMatcher h) {
                            sink += h.prefetch();
                        }
                    }
                }
            }
        }
        return sink;
    }

    public String familyId() {
        return ledger.familyId();
    }

    /** The matcher at {@code i} in rule order: the family's own, or the shared one. */
    private Matcher matcher(int i) {
        int k = shared.stateIndex(i);
        return k < 0 || own == null || own[k] == null ? shared.get(i) : own[k];
    }

    /** The family's own matcher at {@code i}, made from the shared empty one. */
    private Matcher.Stateful own(int i) {
        int k = shared.stateIndex(i);
        if (own == null) {
            own = new Matcher.Stateful[shared.stateful()];
        }
        if (own[k] == null) {
            own[k] = ((Matcher.Stateful) shared.get(i)).fresh();
        }
        return own[k];
    }

    /** Gives back the family's matchers that hold nothing any more, and the array when none is left. */
    private void dropEmpty() {
        if (own == null) {
            return;
        }
        boolean any = false;
        for (int k = 0; k < own.length; k++) {
            if (own[k] != null && own[k].isEmpty()) {
                own[k] = null;
            }
            any |= own[k] != null;
        }
        if (!any) {
            own = null;
        }
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
        ledger.advance(shared.horizon(), watermark);
        for (int i = 0; i < shared.size(); i++) {
            Matcher m = matcher(i);
            if (m == shared.get(i) && m instanceof Matcher.Stateful empty && empty.changedBy(event, ledger)) {
                m = own(i); // the shared one is never changed
            }
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
        ledger.advance(shared.horizon(), watermark);
        for (int i = 0; i < shared.size(); i++) {
            matcher(i).onWatermark(timeline, watermark, ledger); // an empty one has nothing to fire, nor changes
        }
        dropEmpty();
        return ledger.drain();
    }

    /** {@link #onWatermark} has something to fire only for a watermark after this instant; empty: nothing pending. */
    public Optional<Instant> wakeUpAfter() {
        if (own == null) {
            return Optional.empty(); // only a family's own stateful matchers can hold anything pending
        }
        Instant earliest = null;
        for (Matcher.Stateful m : own) {
            Instant at = m == null ? null : m.wakeUpAfter();
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
        for (int i = 0; i < shared.size(); i++) {
            Matcher m = matcher(i); // a shared empty one gives what a family's own empty one would
            if (m instanceof HistoryRatioMatcher h) {
                histories.add(h.history());
            } else if (m instanceof AbsenceMatcher a) {
                pending.addAll(a.pending());
            }
        }
        return new FamilyRulesState(familyId(), ledger.frozenBefore(), histories, pending);
    }

    void restore(FamilyRulesState state, FamilyTimeline timeline, Instant watermark) {
        ledger.freezeBefore(state.frozenBefore());
        ledger.advance(shared.horizon(), watermark);
        for (int i = 0; i < shared.size(); i++) {
            Matcher m = shared.stateIndex(i) < 0 ? shared.get(i) : own(i);
            String pattern = m.rule().name();
            if (m instanceof HistoryRatioMatcher h) {
                state.histories().stream().filter(s -> s.pattern().equals(pattern)).findFirst().ifPresent(h::restore);
            } else if (m instanceof AbsenceMatcher a) {
                state.pending().stream().filter(p -> p.pattern().equals(pattern)).forEach(a::restore);
            }
        }
        ledger.silently(() -> {
            for (int i = 0; i < shared.size(); i++) {
                matcher(i).rederive(timeline, ledger);
            }
        });
        dropEmpty();
    }

    private void check(FamilyTimeline timeline) {
        Objects.requireNonNull(timeline, "timeline");
        if (!timeline.familyId().equals(familyId())) {
            throw new IllegalArgumentException("timeline of " + timeline.familyId() + " given to the rules of " + familyId());
        }
    }
}
