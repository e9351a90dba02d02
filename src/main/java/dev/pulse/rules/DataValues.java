package dev.pulse.rules;

import dev.pulse.event.Decimals;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Objects;

/** Reading and comparing the plain JSON values of {@code event_data} (SPEC §7: numbers numerically, currency case-insensitively). */
final class DataValues {

    private DataValues() {
    }

    /** The value as a decimal when it is a JSON number, else null. */
    static BigDecimal number(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        if (value instanceof Number n) {
            return Decimals.whole(n.longValue()); // a score is read at every rule evaluation that looks at it
        }
        return null;
    }

    static BigDecimal parseNumber(String text) {
        if (text == null) {
            return null;
        }
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Equality of a same-value repeat: absent (or null) equals only absent; numbers numerically; text
     * case-insensitively; anything else by {@code equals}.
     */
    static boolean same(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        if (x != null || y != null) {
            return x != null && y != null && x.compareTo(y) == 0;
        }
        if (a instanceof String s && b instanceof String t) {
            return s.equalsIgnoreCase(t);
        }
        return Objects.equals(a, b);
    }

    /** Text form for a case-insensitive comparison. */
    static String folded(Object value) {
        return String.valueOf(value).toLowerCase(Locale.ROOT);
    }
}
