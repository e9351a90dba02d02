package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import java.util.List;

/**
 * A rule whose result for an anchor is a predicate over the timeline, re-evaluated whenever an event lands in
 * the anchor's neighbourhood, whatever its arrival order; the ledger turns results into a diff. Stateless.
 */
abstract class AnchoredMatcher extends Matcher {

    /** Whether the event can be an anchor. */
    abstract boolean isAnchor(Event e);

    /** The anchors (SPEC §7 order) whose result can change now that {@code x} is in the timeline. */
    abstract List<Event> affectedBy(FamilyTimeline timeline, Event x);

    /** The anchor's result over the timeline as it is; null when the condition does not hold. */
    abstract Found evaluate(FamilyTimeline timeline, Event anchor);

    @Override
    public final void onEvent(FamilyTimeline timeline, Event event, Ledger ledger) {
        // Indexed, not iterated: the call is megamorphic, so an iterator over the (mostly empty) list escapes and is
        // allocated for every rule on every event.
        List<Event> anchors = affectedBy(timeline, event);
        for (int i = 0; i < anchors.size(); i++) {
            Event anchor = anchors.get(i);
            if (!ledger.frozen(anchor.eventTimestamp())) {
                ledger.settle(rule(), anchor, evaluate(timeline, anchor));
            }
        }
    }

    @Override
    public final void rederive(FamilyTimeline timeline, Ledger ledger) {
        for (Event e : timeline.all()) {
            if (isAnchor(e) && !ledger.frozen(e.eventTimestamp())) {
                ledger.settle(rule(), e, evaluate(timeline, e));
            }
        }
    }
}
