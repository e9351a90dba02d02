package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@link ThresholdRule}: for anchor e, the matching events in {@code [t(e) − window, t(e)]}. An event x can
 * only change anchors with t in {@code [t(x), t(x) + window]}; counts only grow, so a late event emits or
 * updates, never retracts.
 */
final class ThresholdMatcher extends TrailingWindowMatcher {

    private final ThresholdRule rule;
    private final EventFilter filter;

    ThresholdMatcher(ThresholdRule rule) {
        this(rule, new EventFilter(rule.eventType(), rule.where()));
    }

    private ThresholdMatcher(ThresholdRule rule, EventFilter filter) {
        super(rule, filter, filter, rule.window());
        this.rule = rule;
        this.filter = filter;
    }

    @Override
    Found evaluate(FamilyTimeline timeline, Event anchor) {
        Instant t = anchor.eventTimestamp();
        List<Event> inWindow = Neighbourhood.around(timeline, anchor, t.minus(window), t, kinds, filter);
        if (inWindow.size() < rule.count()) {
            return null;
        }
        return new Found(inWindow, t, Map.of("count", inWindow.size()));
    }
}
