package dev.pulse.ingest.http;

import dev.pulse.ingest.EventJson;
import dev.pulse.ingest.JsonValueAssembler;
import dev.pulse.ingest.EventJson.MalformedJsonException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.async.ByteArrayFeeder;

/**
 * Splits a request body into records as its chunks arrive (SPEC §1.3): one JSON object, a JSON array
 * of records, or NDJSON. Chunks are parsed and released immediately, so a body is never held whole;
 * only the decoded records are kept. Bytes and records are counted against the limits on the way in.
 * Not thread-safe: one per request, fed sequentially.
 */
final class BodyRecords {

    /** One NDJSON line that is not JSON: a rejected record, not a rejected body (SPEC §7). */
    record UnparseableLine(String error) {
    }

    private final long maxBytes;
    private final int maxRecords;
    private final boolean ndjson;
    private final EventJson json;
    private final List<Object> records = new ArrayList<>();
    private long bytes;

    // JSON mode
    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private final JsonValueAssembler assembler;
    private Shape shape = Shape.UNKNOWN;
    private byte[] carry = new byte[0];

    // NDJSON mode
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private enum Shape { UNKNOWN, ARRAY, ARRAY_CLOSED, VALUES }

    BodyRecords(EventJson json, boolean ndjson, long maxBytes, int maxRecords) {
        this.json = json;
        this.ndjson = ndjson;
        this.maxBytes = maxBytes;
        this.maxRecords = maxRecords;
        this.parser = ndjson ? null : json.nonBlockingParser();
        this.feeder = ndjson ? null : (ByteArrayFeeder) parser.nonBlockingInputFeeder();
        this.assembler = ndjson ? null : new JsonValueAssembler(parser);
    }

    /** Takes the next chunk; throws {@link TooLargeException} over a limit, {@link MalformedJsonException} on bad JSON. */
    void feed(byte[] chunk) {
        bytes += chunk.length;
        if (bytes > maxBytes) {
            throw new TooLargeException("request body exceeds " + maxBytes + " bytes");
        }
        if (ndjson) {
            feedLines(chunk);
        } else {
            feedJson(chunk);
        }
    }

    /**
     * Two bugs of Jackson 3.1.4's non-blocking parser decide where a chunk may end:
     * <ul>
     *   <li>it accepts {@code ,}} or {@code :}} when a chunk ends right after the {@code ,} or {@code :}, so a
     *       chunk never ends there: that byte waits for the next chunk (or the end of the body), and the parser
     *       always sees what follows it;</li>
     *   <li>it stops with "Still have 1 undecoded bytes" when a chunk ends inside the backslash-u escape of a
     *       low surrogate after an escaped high one in a property name (found by IngestFuzzIT), so a chunk never
     *       ends inside an escape or right after an escaped high surrogate: that escape waits too.</li>
     * </ul>
     * What waits is at most 12 bytes (two escapes), or the one separator byte.
     */
    private void feedJson(byte[] chunk) {
        byte[] input = carry.length == 0 ? chunk : concat(carry, chunk);
        int cut = input.length;
        int last = input.length - 1;
        while (last >= 0 && isWhitespace(input[last])) {
            last--;
        }
        if (last >= 0 && (input[last] == ',' || input[last] == ':')) {
            // Only the ',' or ':' itself is carried: the whitespace after it means nothing, and carrying it would
            // copy a body of "[1," and megabytes of spaces again with every chunk (quadratic work for the sender's bytes).
            carry = new byte[] {input[last]};
            parse(input, last);
            return;
        }
        cut = unfinishedEscape(input);
        carry = java.util.Arrays.copyOfRange(input, cut, input.length);
        parse(input, cut);
    }

    /**
     * Where a trailing escape that may still need bytes (or its surrogate partner) starts: an escape cut short
     * (a backslash alone, or with {@code u} and fewer than four hex digits), or a complete escaped high surrogate
     * (backslash-u {@code D800..DBFF}) at the very end; either one
     * together with a complete escaped high surrogate right before it. {@code input.length} when there is none.
     * Outside strings a backslash is malformed JSON anyway, and waiting for more bytes does not change that.
     */
    private static int unfinishedEscape(byte[] input) {
        int start = lastEscapeStart(input, input.length);
        if (start < 0) {
            return input.length;
        }
        int available = input.length - start;
        boolean unicode = available >= 2 && input[start + 1] == 'u';
        boolean complete = unicode ? available >= 6 : available >= 2;
        if (complete && !(available == 6 && isHighSurrogateEscape(input, start))) {
            return input.length;
        }
        int before = start - 6;
        if (before >= 0 && lastEscapeStart(input, start) == before && isHighSurrogateEscape(input, before)) {
            return before;
        }
        return start;
    }

    /** The start of the last escape beginning before {@code end} and within 12 bytes of it, or -1. */
    private static int lastEscapeStart(byte[] input, int end) {
        for (int i = end - 1; i >= Math.max(0, end - 12); i--) {
            if (input[i] == '\\') {
                // a backslash begins an escape when an even number of backslashes precedes it
                int run = 0;
                for (int j = i - 1; j >= 0 && input[j] == '\\'; j--) {
                    run++;
                }
                return run % 2 == 0 ? i : i - 1;
            }
        }
        return -1;
    }

    private static boolean isHighSurrogateEscape(byte[] input, int start) {
        if (start + 6 > input.length || input[start + 1] != 'u') {
            return false;
        }
        int first = Character.digit(input[start + 2], 16);
        int second = Character.digit(input[start + 3], 16);
        return first == 0xD && second >= 0x8 && second <= 0xB;
    }

    private void parse(byte[] input, int length) {
        try {
            if (length > 0) {
                feeder.feedInput(input, 0, length);
            }
            drain();
        } catch (JacksonException e) {
            throw EventJson.malformed(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    /** Ends the body; answers its records in order (decoded values, or {@link UnparseableLine}s). */
    List<Object> finish() {
        if (ndjson) {
            endLine();
        } else {
            parse(carry, carry.length);
            try {
                feeder.endOfInput();
                drain();
            } catch (JacksonException e) {
                throw EventJson.malformed(e);
            }
            if (!assembler.idle() || shape == Shape.ARRAY) {
                throw new MalformedJsonException("unexpected end of input: the body ends inside a JSON value");
            }
        }
        return records;
    }

    private void drain() {
        JsonToken token;
        while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
            switch (shape) {
                case UNKNOWN -> {
                    if (token == JsonToken.START_ARRAY) {
                        shape = Shape.ARRAY;
                        continue;
                    }
                    shape = Shape.VALUES;
                }
                case ARRAY -> {
                    if (token == JsonToken.END_ARRAY && assembler.idle()) {
                        shape = Shape.ARRAY_CLOSED;
                        continue;
                    }
                }
                case ARRAY_CLOSED -> throw new MalformedJsonException("unexpected content after the closing ']'");
                case VALUES -> {
                    // several root values in a row (concatenated JSON) are read as several records
                }
            }
            Object value = assembler.accept(token);
            if (value != JsonValueAssembler.INCOMPLETE) {
                add(value);
            }
        }
    }

    private void feedLines(byte[] chunk) {
        int start = 0;
        for (int i = 0; i < chunk.length; i++) {
            if (chunk[i] == '\n') {
                line.write(chunk, start, i - start);
                endLine();
                start = i + 1;
            }
        }
        line.write(chunk, start, chunk.length - start);
    }

    private void endLine() {
        byte[] bytes = line.toByteArray();
        line.reset();
        if (isBlank(bytes)) {
            return;
        }
        try {
            add(json.readValue(bytes));
        } catch (EventJson.LimitExceededException e) {
            add(new UnparseableLine("record: " + e.getMessage()));
        } catch (MalformedJsonException e) {
            add(new UnparseableLine("record: not valid JSON: " + e.getMessage()));
        }
    }

    private void add(Object record) {
        if (records.size() >= maxRecords) {
            throw new TooLargeException("request holds more than " + maxRecords + " events");
        }
        records.add(record);
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (!isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    /** A body over the byte or event limit: {@code 413}. */
    static final class TooLargeException extends RuntimeException {
        TooLargeException(String message) {
            super(message);
        }
    }
}
