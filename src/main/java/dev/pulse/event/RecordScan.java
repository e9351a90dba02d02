package dev.pulse.event;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The limits every value of a record must keep, wherever it sits (known fields, {@code event_data}, unknown
 * fields), checked after the field rules so that a field with a rule of its own is refused by that rule.
 * Why each one exists:
 * <ul>
 *   <li>strings and property names at most {@code maxStringLength} characters: the one bound on free text in
 *       {@code event_data}, which is kept in every family's state and shown on the pages;</li>
 *   <li>no U+0000 and no unpaired surrogate: PostgreSQL stores neither in {@code text} nor {@code jsonb}, so such
 *       a record would fail its partition's checkpoint on every retry (a poison record) instead of being refused;</li>
 *   <li>numbers with at most {@value #MAX_NUMBER_DIGITS} digits before and after the decimal point: values are
 *       summed exactly ({@link BigDecimal}) and stored as {@code numeric}, so {@code 1e999999999} would cost
 *       gigabytes and {@code 1e200000} overflow PostgreSQL's {@code numeric}, again on every retry.</li>
 * </ul>
 * Pure; one instance per validator.
 */
final class RecordScan {

    static final int MAX_NUMBER_DIGITS = 40;

    private final int maxStringLength;

    RecordScan(int maxStringLength) {
        if (maxStringLength < 1) {
            throw new IllegalArgumentException("maxStringLength must be >= 1, was " + maxStringLength);
        }
        this.maxStringLength = maxStringLength;
    }

    /** Throws {@link EventValidator.Refused} naming the path of the first value that breaks a limit. */
    void check(Map<String, Object> record) {
        object(record, "");
    }

    private void object(Map<?, ?> map, String path) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String name = String.valueOf(entry.getKey());
            String field = path.isEmpty() ? abbreviate(name) : path + "." + abbreviate(name);
            String problem = textProblem(name);
            if (problem != null) {
                throw new EventValidator.Refused(field, "property name " + problem);
            }
            value(entry.getValue(), field);
        }
    }

    private void value(Object value, String field) {
        if (value instanceof String s) {
            String problem = textProblem(s);
            if (problem != null) {
                throw new EventValidator.Refused(field, problem);
            }
        } else if (value instanceof Map<?, ?> map) {
            object(map, field);
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                value(list.get(i), field + "[" + i + "]");
            }
        } else if (value instanceof Number number && !numberFits(number)) {
            throw new EventValidator.Refused(field, "must be a number with at most " + MAX_NUMBER_DIGITS
                    + " digits before and " + MAX_NUMBER_DIGITS + " after the decimal point, was " + abbreviate(number.toString()));
        }
    }

    /** Null when the text keeps every limit, else the rule it breaks. One pass, whatever the length. */
    private String textProblem(String text) {
        int codePoints = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "must not contain U+0000 (NUL), found at character " + codePoints;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must be valid Unicode, found an unpaired surrogate \\u" + Integer.toHexString(c).toUpperCase()
                        + " at character " + codePoints;
            }
            codePoints++;
        }
        return codePoints > maxStringLength
                ? "must be at most " + maxStringLength + " characters, was " + codePoints
                : null;
    }

    private static boolean numberFits(Number number) {
        BigDecimal decimal;
        if (number instanceof Double || number instanceof Float) {
            double d = number.doubleValue();
            if (!Double.isFinite(d)) {
                return false;
            }
            decimal = BigDecimal.valueOf(d);
        } else {
            decimal = JsonValues.decimal(number);
        }
        // precision - scale: digits before the point (≤ 0 for 0.00x); scale: digits after it (< 0 for 1E+5).
        long before = (long) decimal.precision() - decimal.scale();
        return before <= MAX_NUMBER_DIGITS && decimal.scale() <= MAX_NUMBER_DIGITS;
    }

    private static String abbreviate(String text) {
        return JsonValues.excerpt(text);
    }
}
