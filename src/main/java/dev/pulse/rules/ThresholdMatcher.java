package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@link ThresholdRule}: for anchor e, the matching events in {@code [t(e) − window, t(e)]}. An event x can
 * only change anchors with t in {@code [t(x), t(x) + window]}; counts only grow, so a late event emits or
 * updates, never retracts.
 */
final class ThresholdMatcher extends AnchoredMatcher {

    private final ThresholdRule rule;
    private final EventFilter filter;
    private final Duration window;

    ThresholdMatcher(ThresholdRule rule) {
        this.rule = rule;
        this.filter = new EventFilter(rule.eventType(), rule.where());
        this.window = rule.window();
    }

    @Override
    public Rule rule() {
        return rule;
    }

    @Override
    boolean isAnchor(Event e) {
        return filter.test(e);
    }

    @Override
    List<Event> affectedBy(FamilyTimeline timeline, Event x) {
        if (!filter.test(x)) {
            return List.of();
        }
        Instant t = x.eventTimestamp();
        return Neighbourhood.around(timeline, x, t, t.plus(window), filter);
    }

    @Override
    Found evaluate(FamilyTimeline timeline, Event anchor) {
        Instant t = anchor.eventTimestamp();
        List<Event> inWindow = Neighbourhood.around(timeline, anchor, t.minus(window), t, filter);
        if (inWindow.size() < rule.count()) {
            return null;
        }
        return new Found(inWindow, t, Map.of("count", inWindow.size()));
    }
}
