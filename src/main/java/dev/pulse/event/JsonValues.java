package dev.pulse.event;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Reading the plain Java values a JSON parser produces, with JSON's own type distinctions. */
final class JsonValues {

    private JsonValues() {
    }

    static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof BigInteger
                || value instanceof Short || value instanceof Byte;
    }

    static boolean isNumber(Object value) {
        return value instanceof Number;
    }

    static BigDecimal decimal(Object number) {
        if (number instanceof BigDecimal d) {
            return d;
        }
        if (number instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (number instanceof Double || number instanceof Float) {
            return BigDecimal.valueOf(((Number) number).doubleValue());
        }
        return BigDecimal.valueOf(((Number) number).longValue());
    }

    /**
     * At most the first 40 characters of {@code text}, for a rejection message: never cut inside a surrogate pair,
     * and an unpaired surrogate shown as U+FFFD, because the message itself is written as JSON and UTF-8 (an
     * answer, a DLQ header), which cannot carry one.
     */
    static String excerpt(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 44));
        int shown = 0;
        for (int i = 0; i < text.length(); i++) {
            if (shown == 40) {
                return out.append("...").toString();
            }
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
            shown++;
        }
        return out.toString();
    }

    static String typeName(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (isInteger(value)) {
            return "an integer";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof java.util.List) {
            return "an array";
        }
        if (value instanceof java.util.Map) {
            return "an object";
        }
        return value.getClass().getSimpleName();
    }
}
