package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@link DropRule}: for anchor e, the maximum of the values in {@code [t(e) − window, t(e)]} (the latest
 * event in SPEC §7 order on ties) against e's value. An event x can only change anchors with t in
 * {@code [t(x), t(x) + window]}: a late higher value emits, or replaces the maximum of an emitted one (update).
 */
final class DropMatcher extends TrailingWindowMatcher {

    private final DropRule rule;
    private final Predicate<Event> withValue;

    DropMatcher(DropRule rule) {
        this(rule, new EventFilter(rule.eventType(), rule.where()));
    }

    private DropMatcher(DropRule rule, EventFilter filter) {
        this(rule, filter, withValue(rule, filter));
    }

    private DropMatcher(DropRule rule, EventFilter filter, Predicate<Event> withValue) {
        super(rule, filter, withValue, rule.window());
        this.rule = rule;
        this.withValue = withValue;
    }

    private static Predicate<Event> withValue(DropRule rule, EventFilter filter) {
        return e -> filter.test(e) && value(rule, e) != null;
    }

    @Override
    Found evaluate(FamilyTimeline timeline, Event anchor) {
        Instant t = anchor.eventTimestamp();
        Event max = null;
        BigDecimal maxValue = null;
        for (Event e : Neighbourhood.around(timeline, anchor, t.minus(window), t, kinds, withValue)) {
            BigDecimal v = value(e);
            if (maxValue == null || v.compareTo(maxValue) >= 0) {   // >=: in order, so the latest wins ties
                max = e;
                maxValue = v;
            }
        }
        BigDecimal value = value(anchor);
        BigDecimal drop = maxValue.subtract(value);
        if (drop.compareTo(rule.dropAbove()) <= 0) {
            return null;
        }
        List<Event> matched = Event.EVENT_TIME_ORDER.compare(max, anchor) < 0 ? List.of(max, anchor) : List.of(anchor, max);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("max", maxValue);
        details.put("value", value);
        details.put("drop", drop);
        return new Found(matched, t, details);
    }

    private BigDecimal value(Event e) {
        return value(rule, e);
    }

    private static BigDecimal value(DropRule rule, Event e) {
        return DataValues.number(e.eventData().get(rule.field()));
    }
}
