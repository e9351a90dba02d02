package dev.pulse.ingest;

import dev.pulse.event.EventValidator;
import dev.pulse.event.Validated;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The wire JSON of events (SPEC §1.1): decoding bytes to plain values and validated events, and
 * encoding a record back for the log. One shared, thread-safe instance.
 */
public final class EventJson {

    /** Deep nesting is never a valid event; the bound keeps a hostile body from costing stack. */
    static final int MAX_NESTING_DEPTH = 64;

    private final JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build();
    private final JsonMapper mapper = JsonMapper.builder(factory).build();
    private final EventValidator validator = new EventValidator();

    /** Decodes one complete JSON document; throws {@link MalformedJsonException} when it is not JSON. */
    public Object readValue(byte[] bytes) {
        try (JsonParser parser = factory.createParser(ObjectReadContext.empty(), bytes)) {
            JsonValueAssembler assembler = new JsonValueAssembler(parser);
            Object value = JsonValueAssembler.INCOMPLETE;
            JsonToken token;
            while (value == JsonValueAssembler.INCOMPLETE && (token = parser.nextToken()) != null) {
                value = assembler.accept(token);
            }
            if (value == JsonValueAssembler.INCOMPLETE) {
                throw new MalformedJsonException("no complete JSON value");
            }
            if (parser.nextToken() != null) {
                throw new MalformedJsonException("more than one JSON value");
            }
            return value;
        } catch (JacksonException e) {
            throw new MalformedJsonException(e.getOriginalMessage());
        }
    }

    /** Decodes and validates one record of the log. */
    public Validated decode(byte[] bytes) {
        return validator.validate(readValue(bytes));
    }

    public Validated validate(Object record) {
        return validator.validate(record);
    }

    public byte[] write(Map<String, Object> record) {
        return mapper.writeValueAsBytes(record);
    }

    public byte[] write(List<Object> values) {
        return mapper.writeValueAsBytes(values);
    }

    public JsonParser nonBlockingParser() {
        return factory.createNonBlockingByteArrayParser(ObjectReadContext.empty());
    }

    /** The input is not JSON (or not one JSON value); the message says where. */
    public static final class MalformedJsonException extends RuntimeException {
        public MalformedJsonException(String message) {
            super(message);
        }
    }
}
