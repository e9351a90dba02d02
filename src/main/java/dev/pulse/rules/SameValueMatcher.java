package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@link SameValueRule}: for anchor e, the matching events equal to e in {@code [t(e) − window, t(e)]}. An
 * event x can only change anchors equal to it with t in {@code [t(x), t(x) + window]} (a late duplicate
 * completes a pair and emits on that arrival, SPEC §3.3).
 */
final class SameValueMatcher extends AnchoredMatcher {

    private final SameValueRule rule;
    private final EventFilter filter;
    private final Duration window;
    private final String[] fields;

    SameValueMatcher(SameValueRule rule) {
        this.rule = rule;
        this.filter = new EventFilter(rule.eventType(), rule.where());
        this.window = rule.window();
        this.fields = rule.fields().toArray(String[]::new);
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
        return Neighbourhood.around(timeline, x, t, t.plus(window), sameAs(x));
    }

    @Override
    Found evaluate(FamilyTimeline timeline, Event anchor) {
        Instant t = anchor.eventTimestamp();
        List<Event> equal = Neighbourhood.around(timeline, anchor, t.minus(window), t, sameAs(anchor));
        if (equal.size() < rule.count()) {
            return null;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("count", equal.size());
        for (String field : fields) {
            Object value = anchor.eventData().get(field);
            if (value != null) {
                details.put(field, value);
            }
        }
        return new Found(equal, t, details);
    }

    private Predicate<Event> sameAs(Event x) {
        return e -> {
            if (!filter.test(e)) {
                return false;
            }
            for (String field : fields) {
                if (!DataValues.same(x.eventData().get(field), e.eventData().get(field))) {
                    return false;
                }
            }
            return true;
        };
    }
}
