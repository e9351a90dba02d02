package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * A rule whose anchor e looks back over {@code [t(e) − window, t(e)]}: an event x can then only change
 * anchors with t in {@code [t(x), t(x) + window]} that it is a neighbour of. Shared by the threshold,
 * same-value and drop matchers, which differ in who counts as a neighbour and in what they evaluate.
 */
abstract class TrailingWindowMatcher extends AnchoredMatcher {

    private final Rule rule;
    private final Predicate<Event> anchors;
    /** The timeline kinds of anchors and neighbours ({@link EventFilter#kinds}): the rule's type pattern's. */
    final long kinds;
    final Duration window;

    TrailingWindowMatcher(Rule rule, EventFilter filter, Predicate<Event> anchors, Duration window) {
        this.rule = rule;
        this.kinds = filter.kinds();
        this.anchors = anchors;
        this.window = window;
    }

    @Override
    public Rule rule() {
        return rule;
    }

    @Override
    final boolean isAnchor(Event e) {
        return anchors.test(e);
    }

    /** The events that share an anchor's window with {@code x}; by default every anchor. */
    Predicate<Event> neighboursOf(Event x) {
        return anchors;
    }

    @Override
    final List<Event> affectedBy(FamilyTimeline timeline, Event x) {
        if (!anchors.test(x)) {
            return List.of();
        }
        Instant t = x.eventTimestamp();
        return Neighbourhood.around(timeline, x, t, t.plus(window), kinds, neighboursOf(x));
    }
}
