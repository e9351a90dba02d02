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
