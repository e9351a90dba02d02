package dev.pulse.ingest;

import dev.pulse.event.EventValidator;
import dev.pulse.event.Validated;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The wire JSON of events (SPEC §1.1): decoding bytes to plain values and validated events, and
 * encoding a record back for the log. One shared, thread-safe instance.
 */
public final class EventJson {

    /**
     * Deep nesting is never a valid event; the bound keeps a hostile body from costing stack and memory (the
     * parser keeps one context per open level). A document deeper than this is refused whole: for an array
     * body the bound is the array's level plus 63 inside each record.
     */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Jackson's own default, named here because it is a limit clients meet (a number of more characters is refused). */
    public static final int MAX_NUMBER_LENGTH = 1000;
    /** Jackson's own default; the record rules refuse names over {@code pulse.ingest.max-string-length} anyway. */
    public static final int MAX_NAME_LENGTH = 50_000;
    /** Jackson's hint at where a limit comes from names its API, which means nothing to a client. */
    private static final Pattern CONSTRAINT_SOURCE = Pattern.compile(",? ?from `[^`]*`");

    private final JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH).maxNameLength(MAX_NAME_LENGTH).build())
            .build();
    private final JsonMapper mapper = JsonMapper.builder(factory).build();
    private final EventValidator validator;

    /** With the default limits of {@link EventValidator}. */
    public EventJson() {
        this(new EventValidator());
    }

    public EventJson(EventValidator validator) {
        this.validator = validator;
    }

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
            throw malformed(e);
        }
    }

    /**
     * The exception for a parser failure: {@link LimitExceededException} when the JSON is well-formed so far but
     * breaks a limit (nesting depth, number or name length), else {@link MalformedJsonException}.
     */
    public static MalformedJsonException malformed(JacksonException e) {
        if (e instanceof StreamConstraintsException) {
            return new LimitExceededException(CONSTRAINT_SOURCE.matcher(e.getOriginalMessage()).replaceAll(""));
        }
        return new MalformedJsonException(e.getOriginalMessage());
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
    public static class MalformedJsonException extends RuntimeException {
        public MalformedJsonException(String message) {
            super(message);
        }
    }

    /**
     * The input breaks one of the parser's limits ({@link #MAX_NESTING_DEPTH}, {@link #MAX_NUMBER_LENGTH},
     * {@link #MAX_NAME_LENGTH}); the message names it. A kind of malformed input, so every reader that refuses
     * malformed input (the DLQ, an NDJSON line) refuses this too.
     */
    public static final class LimitExceededException extends MalformedJsonException {
        public LimitExceededException(String message) {
            super(message);
        }
    }
}
