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
final class AbsenceMatcher implements Matcher {

    /** An anchor waiting for its deadline; {@code o} is null after a restore until resolved from the timeline. */
    static final class Pending {
        final Instant at;
        final String id;
        Event o;
        Instant deadline;

        Pending(Instant at, String id, Event o, Instant deadline) {
            this.at = at;
            this.id = id;
            this.o = o;
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
    private final NavigableSet<Pending> byAnchor = new TreeSet<>(BY_ANCHOR);
    private final NavigableSet<Pending> byDeadline = new TreeSet<>(BY_DEADLINE);

    AbsenceMatcher(SequenceRule rule) {
        this.rule = rule;
        this.shape = new SequenceShape(rule);
        this.absent = TypePattern.of(rule.absent());
        this.absentFor = rule.absentFor();
    }

    @Override
    public Rule rule() {
        return rule;
    }

    @Override
    public void onEvent(FamilyTimeline timeline, Event x, Ledger ledger) {
        if (shape.canFollow(x)) {
            Pending from = new Pending(x.eventTimestamp().minus(shape.within), "", null, null);
            Pending to = new Pending(x.eventTimestamp(), x.eventId(), null, null);
            for (Pending p : new ArrayList<>(byAnchor.subSet(from, true, to, false))) {
                Event o = resolve(timeline, p);
                if (o != null) {
                    reschedule(p, deadline(timeline, o));
                }
            }
        }
        if (shape.isFirst(x) && !ledger.frozen(x.eventTimestamp())) {
            Pending p = new Pending(x.eventTimestamp(), x.eventId(), x, deadline(timeline, x));
            byAnchor.add(p);
            byDeadline.add(p);
        }
    }

    @Override
    public void onWatermark(FamilyTimeline timeline, Instant watermark, Ledger ledger) {
        while (!byDeadline.isEmpty() && watermark.isAfter(byDeadline.first().deadline)) {
            Pending p = byDeadline.pollFirst();
            byAnchor.remove(p);
            Event o = resolve(timeline, p);
            Event r = o == null ? null : shape.firstThen(timeline, o);
            if (r == null) {
                continue;   // no r in time: settled without a detection
            }
            Instant deadline = r.eventTimestamp().plus(absentFor);
            if (!watermark.isAfter(deadline)) {
                p.deadline = deadline;   // defensive: the deadline is kept current on arrival
                byAnchor.add(p);
                byDeadline.add(p);
                continue;
            }
            if (!absentEventIn(timeline, o, deadline)) {
                ledger.emitOnce(rule, o, new Found(List.of(o, r), deadline, Map.of("deadline", deadline.toString())));
            }
        }
    }

    @Override
    public Instant wakeUpAfter() {
        return byDeadline.isEmpty() ? null : byDeadline.first().deadline;
    }

    List<FamilyRulesState.PendingAbsence> pending() {
        List<FamilyRulesState.PendingAbsence> out = new ArrayList<>(byAnchor.size());
        for (Pending p : byAnchor) {
            out.add(new FamilyRulesState.PendingAbsence(rule.name(), p.id, p.at, p.deadline));
        }
        return out;
    }

    void restore(FamilyRulesState.PendingAbsence pending) {
        Pending p = new Pending(pending.anchorTime(), pending.anchorEventId(), null, pending.deadline());
        byAnchor.add(p);
        byDeadline.add(p);
    }

    private Instant deadline(FamilyTimeline timeline, Event o) {
        Event r = shape.firstThen(timeline, o);
        return r != null ? r.eventTimestamp().plus(absentFor) : o.eventTimestamp().plus(shape.within);
    }

    private void reschedule(Pending p, Instant deadline) {
        if (!deadline.equals(p.deadline)) {
            byDeadline.remove(p);
            p.deadline = deadline;
            byDeadline.add(p);
        }
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

    private static Event resolve(FamilyTimeline timeline, Pending p) {
        if (p.o == null) {
            for (Event e : timeline.between(p.at, p.at)) {
                if (e.eventId().equals(p.id)) {
                    p.o = e;
                }
            }
        }
        return p.o;
    }
}
