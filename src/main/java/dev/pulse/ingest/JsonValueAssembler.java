package dev.pulse.ingest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Builds plain Java values (Map, List, String, Long/BigInteger, BigDecimal, Boolean, null) from a
 * parser's tokens one token at a time, so that a non-blocking parser can be fed chunk by chunk and a
 * body never has to be held whole. Integers stay integers and decimals stay exact: SPEC §7 types are
 * strict. Not thread-safe: one per parser.
 */
public final class JsonValueAssembler {

    /** Returned by {@link #accept} while a value is still open. */
    public static final Object INCOMPLETE = new Object();

    private final JsonParser parser;
    private final Deque<Object> open = new ArrayDeque<>();
    private final Deque<String> fieldNames = new ArrayDeque<>();

    public JsonValueAssembler(JsonParser parser) {
        this.parser = parser;
    }

    /** True between values: no object or array is open. */
    public boolean idle() {
        return open.isEmpty();
    }

    /** Takes the parser's current token; answers the completed top-level value or {@link #INCOMPLETE}. */
    public Object accept(JsonToken token) {
        Object completed;
        switch (token) {
            case START_OBJECT -> {
                open.push(new LinkedHashMap<String, Object>());
                return INCOMPLETE;
            }
            case START_ARRAY -> {
                open.push(new ArrayList<>());
                return INCOMPLETE;
            }
            case PROPERTY_NAME -> {
                fieldNames.push(parser.currentName());
                return INCOMPLETE;
            }
            case END_OBJECT, END_ARRAY -> completed = open.pop();
            case VALUE_STRING -> completed = parser.getString();
            case VALUE_NUMBER_INT -> completed = parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> completed = parser.getDecimalValue();
            case VALUE_TRUE -> completed = Boolean.TRUE;
            case VALUE_FALSE -> completed = Boolean.FALSE;
            case VALUE_NULL -> completed = null;
            default -> throw new IllegalStateException("unexpected JSON token " + token);
        }
        if (open.isEmpty()) {
            return completed;
        }
        add(open.peek(), completed);
        return INCOMPLETE;
    }

    @SuppressWarnings("unchecked")
    private void add(Object container, Object value) {
        if (container instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).put(fieldNames.pop(), value);
        } else {
            ((List<Object>) container).add(value);
        }
    }
}
