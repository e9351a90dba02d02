package dev.pulse.rules;

import dev.pulse.event.Event;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Predicate;

/** A compiled type pattern and {@code where} conditions: which events a rule considers. */
final class EventFilter implements Predicate<Event> {

    private final TypePattern type;
    private final Condition[] conditions;

    EventFilter(String type, List<DataCondition> where) {
        this.type = TypePattern.of(type);
        this.conditions = where.stream().map(Condition::new).toArray(Condition[]::new);
    }

    static EventFilter ofType(String type) {
        return new EventFilter(type, List.of());
    }

    /** The timeline kinds this filter can pass ({@link TypePattern#kinds}): any other is refused unread. */
    long kinds() {
        return type.kinds();
    }

    @Override
    public boolean test(Event e) {
        if (!type.matches(e.eventType())) {
            return false;
        }
        for (Condition c : conditions) {
            if (!c.test(e)) {
                return false;
            }
        }
        return true;
    }

    private static final class Condition implements Predicate<Event> {

        private final String field;
        private final DataCondition.Op op;
        private final String value;
        private final BigDecimal number;

        Condition(DataCondition c) {
            this.field = c.field();
            this.op = c.op();
            this.value = c.value();
            this.number = DataValues.parseNumber(c.value());
        }

        @Override
        public boolean test(Event e) {
            Object actual = e.eventData().get(field);
            return switch (op) {
                case PRESENT -> actual != null;
                case ABSENT -> actual == null;
                case EQUALS -> equalsValue(actual);
                case NOT_EQUALS -> !equalsValue(actual);
                case GT, GTE, LT, LTE -> {
                    BigDecimal n = DataValues.number(actual);
                    if (n == null) {
                        yield false;
                    }
                    int cmp = n.compareTo(number);
                    yield switch (op) {
                        case GT -> cmp > 0;
                        case GTE -> cmp >= 0;
                        case LT -> cmp < 0;
                        default -> cmp <= 0;
                    };
                }
            };
        }

        private boolean equalsValue(Object actual) {
            if (actual == null) {
                return false;
            }
            BigDecimal n = DataValues.number(actual);
            if (n != null && number != null) {
                return n.compareTo(number) == 0;
            }
            return DataValues.folded(actual).equals(DataValues.folded(value));
        }
    }
}
