package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
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
final class SameValueMatcher extends TrailingWindowMatcher {

    private final SameValueRule rule;
    private final EventFilter filter;
    private final String[] fields;

    SameValueMatcher(SameValueRule rule) {
        this(rule, new EventFilter(rule.eventType(), rule.where()));
    }

    private SameValueMatcher(SameValueRule rule, EventFilter filter) {
        super(rule, filter, filter, rule.window());
        this.rule = rule;
        this.filter = filter;
        this.fields = rule.fields().toArray(String[]::new);
    }

    @Override
    Predicate<Event> neighboursOf(Event x) {
        return sameAs(x);
    }

    @Override
    Found evaluate(FamilyTimeline timeline, Event anchor) {
        Instant t = anchor.eventTimestamp();
        List<Event> equal = Neighbourhood.around(timeline, anchor, t.minus(window), t, kinds, sameAs(anchor));
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
