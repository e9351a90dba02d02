package dev.pulse.ingest;

import dev.pulse.ingest.EventJson.MalformedJsonException;
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

    /** An open object or array; an object remembers the name still waiting for its value. */
    private static final class Frame {
        final Object container;
        String pendingName;

        Frame(Object container) {
            this.container = container;
        }
    }

    private final JsonParser parser;
    private final Deque<Frame> open = new ArrayDeque<>();

    public JsonValueAssembler(JsonParser parser) {
        this.parser = parser;
    }

    /** True between values: no object or array is open. */
    public boolean idle() {
        return open.isEmpty();
    }

    /**
     * Takes the parser's current token; answers the completed top-level value or {@link #INCOMPLETE}.
     * Throws {@link MalformedJsonException} for a property without a value, which Jackson's non-blocking
     * parser lets through when a chunk ends right after the colon or comma.
     */
    public Object accept(JsonToken token) {
        Object completed;
        switch (token) {
            case START_OBJECT -> {
                open.push(new Frame(new LinkedHashMap<String, Object>()));
                return INCOMPLETE;
            }
            case START_ARRAY -> {
                open.push(new Frame(new ArrayList<>()));
                return INCOMPLETE;
            }
            case PROPERTY_NAME -> {
                Frame frame = open.peek();
                if (frame == null || !(frame.container instanceof Map) || frame.pendingName != null) {
                    throw new MalformedJsonException("unexpected property name '" + parser.currentName() + "'");
                }
                frame.pendingName = parser.currentName();
                return INCOMPLETE;
            }
            case END_OBJECT, END_ARRAY -> {
                Frame frame = open.pop();
                if (frame.pendingName != null) {
                    throw new MalformedJsonException("property '" + frame.pendingName + "' has no value");
                }
                completed = frame.container;
            }
            case VALUE_STRING -> completed = parser.getString();
            case VALUE_NUMBER_INT -> completed = number(true);
            case VALUE_NUMBER_FLOAT -> completed = number(false);
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

    /**
     * The current number token's value. Jackson's non-blocking parser can end a body inside a number ("1E+") and still
     * hand the text on as a number token; its {@code NumberFormatException} is then a malformed body, not a failure.
     */
    private Object number(boolean integral) {
        try {
            return integral ? parser.getNumberValue() : parser.getDecimalValue();
        } catch (NumberFormatException e) {
            throw new MalformedJsonException("malformed number '" + parser.getString() + "'");
        }
    }

    @SuppressWarnings("unchecked")
    private static void add(Frame frame, Object value) {
        if (frame.container instanceof Map<?, ?> map) {
            if (frame.pendingName == null) {
                throw new MalformedJsonException("a value in an object has no property name");
            }
            ((Map<String, Object>) map).put(frame.pendingName, value);
            frame.pendingName = null;
        } else {
            ((List<Object>) frame.container).add(value);
        }
    }
}
