package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * {@link SequenceRule} with an absence (SPEC §3.3 {@code overdue_no_payment}), one per family. Each anchor o
 * waits with a deadline: {@code t(r) + absentFor} once its r is known, else {@code t(o) + within}. Arrivals that
 * can change r recompute the deadlines of the anchors before them. When the watermark passes a deadline
 * (W &gt; D, SPEC §7) the anchor is judged from the timeline: with r and no {@code absent} event in
 * {@code (t(o), t(r) + absentFor]} it is detected at that deadline. Either way it is settled and never revisited.
 */
final class AbsenceMatcher extends Matcher.Stateful {

    /**
     * An anchor waiting for its deadline, with its current r (null: none yet). After a restore, {@code o} and
     * {@code r} are unknown ({@code resolved} false) until read from the timeline.
     */
    static final class Pending {
        final Instant at;
        final String id;
        Event o;
        Event r;
        boolean resolved;
        Instant deadline;

        Pending(Instant at, String id, Instant deadline) {
            this.at = at;
            this.id = id;
            this.deadline = deadline;
        }
    }

    private static final Comparator<Pending> BY_ANCHOR =
            Comparator.comparing((Pending p) -> p.at).thenComparing(p -> p.id);
    private static final Comparator<Pending> BY_DEADLINE =
            Comparator.comparing((Pending p) -> p.deadline).thenComparing(BY_ANCHOR);

    private final SequenceRule rule;
    private final SequenceShape shape;
    private final TypePattern absent;
    private final Duration absentFor;
    /**
     * The pending anchors, both null while there are none: most families never have one, and two empty trees
     * would cost more than the rest of the matcher.
     */
    private NavigableSet<Pending> byAnchor;
    private NavigableSet<Pending> byDeadline;

    /** @param shape and {@code absent}: the rule's, shared by every family's matcher */
    AbsenceMatcher(SequenceRule rule, SequenceShape shape, TypePattern absent) {
        this.rule = rule;
        this.shape = shape;
        this.absent = absent;
        this.absentFor = rule.absentFor();
    }

    private boolean nonePending() {
        return byAnchor == null || byAnchor.isEmpty();
    }

    private void hold(Pending p) {
        if (byAnchor == null) {
            byAnchor = new TreeSet<>(BY_ANCHOR);
            byDeadline = new TreeSet<>(BY_DEADLINE);
        }
        byAnchor.add(p);
        byDeadline.add(p);
    }

    @Override
    public Rule rule() {
        return rule;
    }

    @Override
    public boolean changedBy(Event x, Ledger ledger) {
        // with none pending, onEvent only ever holds a new anchor
        return shape.isFirst(x) && !ledger.frozen(x.eventTimestamp());
    }

    @Override
    public Stateful fresh() {
        return new AbsenceMatcher(rule, shape, absent);
    }

    @Override
    public boolean isEmpty() {
        return nonePending();
    }

    @Override
    public void onEvent(FamilyTimeline timeline, Event x, Ledger ledger) {
        if (!nonePending() && shape.canFollow(x)) {
            Pending from = new Pending(x.eventTimestamp().minus(shape.within), "", null);
            Pending to = new Pending(x.eventTimestamp(), x.eventId(), null);
            for (Pending p : byAnchor.subSet(from, true, to, false)) {
                follow(timeline, p, x);   // changes only byDeadline, so iterating byAnchor is safe
            }
        }
        if (shape.isFirst(x) && !ledger.frozen(x.eventTimestamp())) {
            Pending p = new Pending(x.eventTimestamp(), x.eventId(), null);
            p.o = x;
            p.r = shape.firstThen(timeline, x);
            p.resolved = true;
            p.deadline = deadline(p);
            hold(p);
        }
    }

    @Override
    public void onWatermark(FamilyTimeline timeline, Instant watermark, Ledger ledger) {
        if (nonePending()) {
            return;
        }
        while (!byDeadline.isEmpty() && watermark.isAfter(byDeadline.first().deadline)) {
            Pending p = byDeadline.pollFirst();
            byAnchor.remove(p);
            Event o = resolve(timeline, p) ? p.o : null;
            Event r = o == null ? null : shape.firstThen(timeline, o);
            if (r == null) {
                continue;   // no r in time: settled without a detection
            }
            Instant deadline = r.eventTimestamp().plus(absentFor);
            if (!watermark.isAfter(deadline)) {
                p.r = r;                 // defensive: r and the deadline are kept current on arrival
                p.deadline = deadline;
                hold(p);
                continue;
            }
            if (!absentEventIn(timeline, o, deadline)) {
                ledger.emitOnce(rule, o, new Found(List.of(o, r), deadline, Map.of("deadline", deadline.toString())));
            }
        }
        if (byAnchor.isEmpty()) {
            byAnchor = null;   // every anchor settled: give the trees back
            byDeadline = null;
        }
    }

    @Override
    public Instant wakeUpAfter() {
        return nonePending() ? null : byDeadline.first().deadline;
    }

    List<FamilyRulesState.PendingAbsence> pending() {
        if (nonePending()) {
            return List.of();
        }
        List<FamilyRulesState.PendingAbsence> out = new ArrayList<>(byAnchor.size());
        for (Pending p : byAnchor) {
            out.add(new FamilyRulesState.PendingAbsence(rule.name(), p.id, p.at, p.deadline));
        }
        return out;
    }

    void restore(FamilyRulesState.PendingAbsence pending) {
        hold(new Pending(pending.anchorTime(), pending.anchorEventId(), pending.deadline()));
    }

    /** Keeps a pending anchor's r and deadline current now that {@code x}, which may follow it, is in the timeline. */
    private void follow(FamilyTimeline timeline, Pending p, Event x) {
        if (!resolve(timeline, p)) {
            return;
        }
        if (p.r != null && Event.EVENT_TIME_ORDER.compare(p.r, x) < 0) {
            return;   // x comes after the current r: the first r, and what lies between o and it, are unchanged
        }
        if (!shape.strict && shape.then.matches(x.eventType()) && x.eventTimestamp().isAfter(p.at)) {
            p.r = x;   // relaxed: x is before the old r (or there was none), so it is now the first; within is given by the caller's range
        } else {
            p.r = shape.firstThen(timeline, p.o);
        }
        Instant deadline = deadline(p);
        if (!deadline.equals(p.deadline)) {
            byDeadline.remove(p);
            p.deadline = deadline;
            byDeadline.add(p);
        }
    }

    private Instant deadline(Pending p) {
        return p.r != null ? p.r.eventTimestamp().plus(absentFor) : p.at.plus(shape.within);
    }

    /** Whether an event of the absent type has t in {@code (t(o), deadline]}. */
    private boolean absentEventIn(FamilyTimeline timeline, Event o, Instant deadline) {
        for (Event e : timeline.after(o)) {
            if (e.eventTimestamp().isAfter(deadline)) {
                return false;
            }
            if (e.eventTimestamp().isAfter(o.eventTimestamp()) && absent.matches(e.eventType())) {
                return true;
            }
        }
        return false;
    }

    /** Reads a restored anchor's o and r from the timeline; false when o is no longer there. */
    private boolean resolve(FamilyTimeline timeline, Pending p) {
        if (!p.resolved) {
            for (Event e : timeline.between(p.at, p.at)) {
                if (e.eventId().equals(p.id)) {
                    p.o = e;
                }
            }
            p.r = p.o == null ? null : shape.firstThen(timeline, p.o);
            p.resolved = true;
        }
        return p.o != null;
    }
}
