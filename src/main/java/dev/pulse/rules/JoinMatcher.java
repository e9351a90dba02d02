package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link JoinRule}: an arriving event x pairs with the events of the other side in {@code [t(x) − within,
 * t(x) + within]}. Each pair is found exactly once, when its second event arrives (its first is then in the
 * timeline), whatever the arrival order; stateless, so shared by every family.
 */
final class JoinMatcher extends Matcher {

    private final JoinRule rule;
    private final TypePattern left;
    private final TypePattern right;

    JoinMatcher(JoinRule rule) {
        this.rule = rule;
        this.left = TypePattern.of(rule.left());
        this.right = TypePattern.of(rule.right());
    }

    @Override
    public Rule rule() {
        return rule;
    }

    @Override
    public void onEvent(FamilyTimeline timeline, Event x, Ledger ledger) {
        boolean isLeft = left.matches(x.eventType());
        boolean isRight = right.matches(x.eventType());
        if (!isLeft && !isRight || x.eventData().get(rule.field()) == null) {
            return;
        }
        Instant t = x.eventTimestamp();
        for (Event other : timeline.between(t.minus(rule.within()), t.plus(rule.within()))) {
            if (other.eventId().equals(x.eventId())) {
                continue;
            }
            if (isLeft && right.matches(other.eventType())) {
                pair(x, other, ledger);
            }
            if (isRight && left.matches(other.eventType())) {
                pair(other, x, ledger);
            }
        }
    }

    private void pair(Event l, Event r, Ledger ledger) {
        Object lv = l.eventData().get(rule.field());
        Object rv = r.eventData().get(rule.field());
        if (lv == null || rv == null || DataValues.same(lv, rv) != (rule.relation() == JoinRule.Relation.EQUAL)) {
            return;
        }
        List<Event> matched = new ArrayList<>(List.of(l, r));
        matched.sort(Event.EVENT_TIME_ORDER);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", rule.field());
        details.put("left_value", lv);
        details.put("right_value", rv);
        ledger.emitOnce(rule, JoinRule.anchor(l.eventId(), r.eventId()), new Found(matched, matched.get(1).eventTimestamp(), details));
    }
}
