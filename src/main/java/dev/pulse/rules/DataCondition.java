package dev.pulse.rules;

import java.util.Arrays;
import java.util.Optional;

/**
 * A condition on one {@code event_data} field of the events a rule considers, e.g.
 * {@code {field: amount, op: gte, value: "1000"}} or {@code {field: currency, op: equals, value: EUR}}.
 * <ul>
 *   <li>{@code equals} / {@code not_equals}: numerically when the field is a number and the value parses as
 *       one ({@code 450} equals {@code 450.00}), else as text, case-insensitively (SPEC §7: currency codes);
 *       an absent field equals nothing, so {@code not_equals} holds for it.</li>
 *   <li>{@code gt}, {@code gte}, {@code lt}, {@code lte}: the field is a number and compares so with the value.</li>
 *   <li>{@code present} / {@code absent}: the field is there and not null / is missing or null; no value.</li>
 * </ul>
 */
public record DataCondition(String field, Op op, String value) {

    public enum Op {
        EQUALS("equals"), NOT_EQUALS("not_equals"), GT("gt"), GTE("gte"), LT("lt"), LTE("lte"),
        PRESENT("present"), ABSENT("absent");

        private final String wireName;

        Op(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /** Whether the op compares numerically and so needs a numeric {@code value}. */
        public boolean numeric() {
            return this == GT || this == GTE || this == LT || this == LTE;
        }

        /** Whether the op compares with a {@code value} at all. */
        public boolean needsValue() {
            return this != PRESENT && this != ABSENT;
        }

        public static Optional<Op> fromWireName(String name) {
            return Arrays.stream(values()).filter(o -> o.wireName.equals(name)).findFirst();
        }
    }

    public static DataCondition of(String field, Op op, String value) {
        return new DataCondition(field, op, value);
    }
}
