package dev.pulse.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.pulse.event.Events;
import dev.pulse.ingest.EventJson;
import dev.pulse.ingest.EventJson.MalformedJsonException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Splitting a streamed request body into records (SPEC §1.3, §7 HTTP): object, array, concatenated, NDJSON. */
class BodyRecordsTest {

    private static final long MAX_BYTES = 16L * 1024 * 1024;
    private static final int MAX_RECORDS = 100_000;
    private static final EventJson JSON = new EventJson();
    /** Well past EventJson.MAX_NESTING_DEPTH (64, package-private there; its exact edge is EventJsonTest's). */
    private static final int TOO_DEEP = 200;

    // ---------------------------------------------------------------- JSON bodies

    @Test
    void shouldReadOneRecordWhenBodyIsOneObject() {
        List<Object> records = parse(json(record("e1")), false);

        assertThat(records).containsExactly(record("e1"));
    }

    @Test
    void shouldReadEveryElementWhenBodyIsArrayOfObjects() {
        String body = "[" + json(record("e1")) + ",\n  " + json(record("e2")) + " , " + json(record("e3")) + "]";

        assertThat(parse(body, false)).containsExactly(record("e1"), record("e2"), record("e3"));
    }

    @ParameterizedTest(name = "separator ''{0}''")
    @ValueSource(strings = {"", " ", "\n", "\r\n", "\n\n\t "})
    void shouldReadEveryObjectWhenObjectsAreConcatenated(String separator) {
        String body = json(record("e1")) + separator + json(record("e2")) + separator + json(record("e3"));

        assertThat(parse(body, false)).containsExactly(record("e1"), record("e2"), record("e3"));
    }

    @Test
    void shouldReadNothingWhenArrayIsEmpty() {
        assertThat(parse("[]", false)).isEmpty();
        assertThat(parse("  [ \n ]  \n", false)).isEmpty();
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", " ", "\n\r\n\t"})
    void shouldReadNothingWhenJsonBodyIsEmpty(String body) {
        assertThat(parse(body, false)).isEmpty();
    }

    @Test
    void shouldKeepElementsAsTheyAreWhenArrayHoldsNonObjects() {
        // each element is a record; the validator rejects the ones that are not objects, by index
        List<Object> records = parse("[1, \"x\", null, [2, [3]], {\"a\": [4, {\"b\": 5}]}, 2.50]", false);

        assertThat(records).containsExactly(1, "x", null, List.of(2, List.of(3)),
                Map.of("a", List.of(4, Map.of("b", 5))), new BigDecimal("2.50"));
    }

    @Test
    void shouldKeepDecimalsExactWhenReadingBody() {
        List<Object> records = parse("[{\"amount\": 450.10}, {\"amount\": 7}]", false);

        assertThat(records).containsExactly(Map.of("amount", new BigDecimal("450.10")), Map.of("amount", 7));
        assertThat(((BigDecimal) ((Map<?, ?>) records.get(0)).get("amount")).scale()).isEqualTo(2);
    }

    @Test
    void shouldReadScalarWhenBodyIsTopLevelScalar() {
        assertThat(parse("42", false)).containsExactly(42);
        assertThat(parse("\"x\" 7", false)).containsExactly("x", 7);
    }

    // ---------------------------------------------------------------- malformed JSON bodies

    static Stream<Arguments> malformedBodies() {
        String e1 = json(record("e1"));
        return Stream.of(
                arguments("missing comma in array", "[" + e1 + " " + e1 + "]"),
                arguments("trailing comma in array", "[" + e1 + ",]"),
                arguments("bare word", "garbage"),
                arguments("single quotes", "{'a': 1}"),
                arguments("truncated array after comma", "[" + e1 + ","),
                arguments("truncated array after element", "[" + e1),
                arguments("truncated array, open bracket only", "["),
                arguments("truncated array inside element", "[" + e1.substring(0, e1.length() - 5)),
                arguments("truncated object", e1.substring(0, e1.length() - 1)),
                arguments("truncated second object", e1 + "\n" + e1.substring(0, 10)),
                arguments("truncated string", "{\"event_id\": \"e1"),
                // Jackson's non-blocking parser hands a number cut off by the end of the body to BigDecimal, whose
                // NumberFormatException was a 500 (IngestFuzzIT, seed 17713589896887)
                arguments("truncated array ending in an exponent sign", "[" + e1 + ", 1E+"),
                arguments("body ending in an exponent sign", "1E+"),
                arguments("body ending in an exponent", "1e"),
                arguments("body ending in a minus sign", "-"),
                arguments("body ending in a decimal point", "[1."),
                arguments("content after ]: object", "[" + e1 + "] " + e1),
                arguments("content after ]: array", "[] []"),
                arguments("content after ]: number", "[" + e1 + "]\n1"),
                arguments("content after ]: no space", "[" + e1 + "]" + e1),
                arguments("stray ]", e1 + "]"),
                arguments("stray }", "[" + e1 + "}"),
                arguments("control character in string", "\"\u0000\""),
                arguments("nesting too deep", "[".repeat(TOO_DEEP) + "]".repeat(TOO_DEEP)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void shouldThrowMalformedWhenJsonBodyIsBroken(String label, String body) {
        assertThatThrownBy(() -> parse(body, false)).isInstanceOf(MalformedJsonException.class);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"{\"event_id\": }", "{\"a\":}", "{\"a\": 1, }", "{\"a\":1,}", "[{\"a\": {\"b\": }}]"})
    void shouldThrowMalformedWhenObjectLacksValueInOneChunk(String body) {
        assertThatThrownBy(() -> parse(body, false)).isInstanceOf(MalformedJsonException.class);
    }

    /*
     * BUG (found by these tests): Jackson 3.1.4's non-blocking parser accepts '}' right after "name":
     * or after a ',' in an object when the previous chunk ended exactly there (after the ':' / ',' or
     * the whitespace following it). It emits PROPERTY_NAME then END_OBJECT with no value. BodyRecords
     * passes that on, and JsonValueAssembler (accept, case END_OBJECT / add -> fieldNames.pop()) leaves
     * the dangling name on its stack, so a malformed body yields records whose keys are shifted. Whether
     * a client gets 400 or 202 then depends on where the network cut the body.
     */

    @Test
    void shouldThrowMalformedWhenChunkEndsAfterColonAndValueIsMissing() {
        byte[] first = bytes("{\"event_id\":");
        byte[] second = bytes(" }");

        assertThatThrownBy(() -> parse(concat(first, second), false, List.of(first, second)))
                .isInstanceOf(MalformedJsonException.class);
    }

    @Test
    void shouldThrowMalformedWhenChunkEndsAfterCommaAndObjectCloses() {
        Map<String, Object> event = record("e1");
        String valid = json(event);
        // {"event_id":"e1",...,"event_data":{"new_score":40}} with a trailing comma inside event_data
        String text = valid.substring(0, valid.length() - 2) + ",}}";
        byte[] body = bytes(text);
        int afterComma = text.lastIndexOf(',') + 1;
        List<byte[]> chunks = List.of(Arrays.copyOfRange(body, 0, afterComma), Arrays.copyOfRange(body, afterComma, body.length));

        assertThatThrownBy(() -> parse(body, false, List.of(body))).isInstanceOf(MalformedJsonException.class);
        assertThatThrownBy(() -> parse(body, false, chunks))
                .as("the same malformed body, cut after the trailing comma, must not become the valid event %s", event)
                .isInstanceOf(MalformedJsonException.class);
    }

    @Test
    void shouldNotShiftKeysWhenNestedObjectLacksValueAtChunkEnd() {
        byte[] first = bytes("[{\"outer\": {\"a\":");
        byte[] second = bytes("}, \"b\": 2}]");

        // today: no error, and the record comes out as {"a": {}, "b": 2}, "outer" lost
        assertThatThrownBy(() -> parse(concat(first, second), false, List.of(first, second)))
                .isInstanceOf(MalformedJsonException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void shouldThrowMalformedWhenBrokenJsonBodyArrivesByteByByte(String label, String body) {
        assertThatThrownBy(() -> parse(bytes(body), false, singleBytes(bytes(body)))).isInstanceOf(MalformedJsonException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void shouldThrowMalformedWhenBrokenJsonBodyIsSplitAtAnyByte(String label, String text) {
        byte[] body = bytes(text);
        for (int at = 0; at <= body.length; at++) {
            List<byte[]> chunks = List.of(Arrays.copyOfRange(body, 0, at), Arrays.copyOfRange(body, at, body.length));
            int split = at;
            assertThatThrownBy(() -> parse(body, false, chunks))
                    .as("split at byte %d: [%s|%s]", split, text.substring(0, Math.min(split, text.length())),
                            new String(chunks.get(1), StandardCharsets.UTF_8))
                    .isInstanceOf(MalformedJsonException.class);
        }
    }

    @Test
    void shouldThrowMalformedWhenBytesAreNotUtf8() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        assertThatThrownBy(() -> parse(body, false, List.of(body))).isInstanceOf(MalformedJsonException.class);
    }

    @Test
    void shouldNameTheProblemWhenArrayIsTruncated() {
        assertThatThrownBy(() -> parse("[" + json(record("e1")) + ",", false))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageMatching("(?is).*end.of.input.*");
    }

    @Test
    void shouldNameTheClosingBracketWhenContentFollowsArray() {
        assertThatThrownBy(() -> parse("[] {}", false))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("]");
    }

    // ---------------------------------------------------------------- NDJSON bodies

    @Test
    void shouldReadEveryLineWhenBodyIsNdjson() {
        String body = json(record("e1")) + "\n" + json(record("e2")) + "\n" + json(record("e3")) + "\n";

        assertThat(parse(body, true)).containsExactly(record("e1"), record("e2"), record("e3"));
    }

    @Test
    void shouldReadLastLineWhenItHasNoTrailingNewline() {
        String body = json(record("e1")) + "\n" + json(record("e2"));

        assertThat(parse(body, true)).containsExactly(record("e1"), record("e2"));
    }

    @Test
    void shouldSkipBlankLinesWhenIndexingNdjson() {
        String body = "\n" + json(record("e0")) + "\n\n   \n" + json(record("e1")) + "\r\n\t\r\n" + json(record("e2")) + "\n\n";

        List<Object> records = parse(body, true);

        // index = position among non-blank lines
        assertThat(records).containsExactly(record("e0"), record("e1"), record("e2"));
    }

    @Test
    void shouldKeepOtherLinesWhenOneNdjsonLineIsBroken() {
        String body = json(record("e0")) + "\n\n{\"event_id\": \"e1\",\n" + json(record("e2")) + "\n";

        List<Object> records = parse(body, true);

        assertThat(records).hasSize(3);
        assertThat(records.get(0)).isEqualTo(record("e0"));
        assertThat(records.get(1)).isInstanceOfSatisfying(BodyRecords.UnparseableLine.class,
                line -> assertThat(line.error()).startsWith("record: ").contains("not valid JSON"));
        assertThat(records.get(2)).isEqualTo(record("e2"));
    }

    static Stream<Arguments> brokenLines() {
        return Stream.of(
                arguments("not JSON", "garbage"),
                arguments("truncated object", "{\"event_id\": \"e1\""),
                arguments("two values on one line", "{} {}"),
                arguments("pretty-printed object split over lines", "{"),
                arguments("too deep", "[".repeat(TOO_DEEP) + "]".repeat(TOO_DEEP)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenLines")
    void shouldTurnLineIntoUnparseableLineWhenItIsNotOneJsonValue(String label, String line) {
        String body = json(record("e0")) + "\n" + line + "\n" + json(record("e2"));

        List<Object> records = parse(body, true);

        assertThat(records).hasSize(3);
        assertThat(records.get(1)).isInstanceOf(BodyRecords.UnparseableLine.class);
        assertThat(records.get(0)).isEqualTo(record("e0"));
        assertThat(records.get(2)).isEqualTo(record("e2"));
    }

    @Test
    void shouldNameTheLimitWhenAnNdjsonLineNestsTooDeep() {
        String body = json(record("e0")) + "\n" + "[".repeat(TOO_DEEP) + "]".repeat(TOO_DEEP) + "\n";

        List<Object> records = parse(body, true);

        assertThat(records.get(1)).isEqualTo(new BodyRecords.UnparseableLine(
                "record: Document nesting depth (65) exceeds the maximum allowed (64)"));
    }

    @Test
    void shouldThrowLimitExceededNotMalformedWhenAJsonBodyNestsTooDeep() {
        assertThatThrownBy(() -> parse("[".repeat(TOO_DEEP) + "]".repeat(TOO_DEEP), false))
                .isInstanceOf(EventJson.LimitExceededException.class)
                .hasMessage("Document nesting depth (65) exceeds the maximum allowed (64)");
    }

    @Test
    void shouldReadRecordsAroundMegabytesOfWhitespaceAfterACommaFedInSmallChunks() {
        // the carried tail used to grow with every chunk of whitespace after a ',' (quadratic copying)
        List<byte[]> chunks = new ArrayList<>();
        chunks.add(bytes("[1,"));
        byte[] spaces = new byte[8 * 1024];
        Arrays.fill(spaces, (byte) ' ');
        for (int i = 0; i < 1024; i++) {
            chunks.add(spaces);
        }
        chunks.add(bytes("2]"));

        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        chunks.forEach(body::writeBytes);

        assertThat(parse(body.toByteArray(), false, chunks)).containsExactly(1, 2);
    }

    @Test
    void shouldTurnLastLineIntoUnparseableLineWhenItIsTruncated() {
        String body = json(record("e0")) + "\n{\"event_id\": \"e1";

        List<Object> records = parse(body, true);

        assertThat(records).hasSize(2);
        assertThat(records.get(1)).isInstanceOf(BodyRecords.UnparseableLine.class);
    }

    @Test
    void shouldReadNothingWhenNdjsonBodyIsBlank() {
        assertThat(parse("", true)).isEmpty();
        assertThat(parse("\n \n\r\n\t\n", true)).isEmpty();
    }

    @Test
    void shouldReadNonObjectsAsRecordsWhenNdjsonLinesHoldThem() {
        assertThat(parse("1\n\"x\"\nnull\n[1]\n", true)).containsExactly(1, "x", null, List.of(1));
    }

    // ---------------------------------------------------------------- chunk boundaries

    static Stream<Arguments> bodies() {
        String e1 = json(recordWith("e1", "Zoë 😀 日本"));
        String e2 = json(record("e2"));
        String e3 = json(recordWith("e3", "ünïcødé"));
        return Stream.of(
                arguments("one object", e1, false),
                arguments("array", " [" + e1 + ",\n" + e2 + ",\r\n" + e3 + "] \n", false),
                arguments("empty array", "[ ]", false),
                arguments("concatenated", e1 + e2 + "\n" + e3, false),
                arguments("scalars", "[1, 22.50, \"x\", null, true, [3, [4]], -7]", false),
                arguments("ndjson", e1 + "\n" + e2 + "\n" + e3 + "\n", true),
                arguments("ndjson with blank lines and CRLF", "\r\n" + e1 + "\r\n\r\n  \n" + e2 + "\r\n" + e3, true),
                arguments("ndjson with broken line", e1 + "\n{\"broken\": \n" + e3 + "\n", true),
                // Jackson 3.1.4's non-blocking parser stops with "Still have 1 undecoded bytes" when a chunk ends inside
                // the \\uXXXX escape of a low surrogate in a property name (found by IngestFuzzIT)
                arguments("escaped surrogate pairs in names and values",
                        "[{\"\\ud83c\\uddf7\\ud83c\\uddeb t\\\"\": \"\\ud83d\\ude00 \\\\\\ud83c\\uddeb\", \"a\\u00e9\\\\\": 1}]", false),
                arguments("whitespace after commas and colons", "[1 ,  \n  2, \t {\"a\" :  \n 3 ,\r\n \"b\":\n[ 4 ,\n5]}]", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void shouldReadSameRecordsWhenBodyIsSplitAtAnyByte(String label, String text, boolean ndjson) {
        byte[] body = bytes(text);
        List<Object> whole = parse(body, ndjson, List.of(body));

        for (int at = 0; at <= body.length; at++) {
            List<byte[]> chunks = List.of(Arrays.copyOfRange(body, 0, at), Arrays.copyOfRange(body, at, body.length));
            assertThat(parse(body, ndjson, chunks)).as("split at byte %d", at).isEqualTo(whole);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void shouldReadSameRecordsWhenBodyArrivesByteByByte(String label, String text, boolean ndjson) {
        byte[] body = bytes(text);

        assertThat(parse(body, ndjson, singleBytes(body))).isEqualTo(parse(body, ndjson, List.of(body)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void shouldReadSameRecordsWhenBodyIsCutIntoRandomChunks(String label, String text, boolean ndjson) {
        byte[] body = bytes(text);
        List<Object> whole = parse(body, ndjson, List.of(body));

        for (long seed = 1; seed <= 200; seed++) {
            List<byte[]> chunks = randomChunks(body, new Random(seed));
            assertThat(parse(body, ndjson, chunks))
                    .as("seed %d, chunk sizes %s", seed, chunks.stream().map(c -> c.length).toList())
                    .isEqualTo(whole);
        }
    }

    @Test
    void shouldReadExpectedRecordsWhenArrayBodyIsSplit() {
        // guards the chunking tests above against comparing two equally wrong answers
        String e1 = json(recordWith("e1", "Zoë 😀 日本"));
        byte[] body = bytes("[" + e1 + "," + json(record("e2")) + "]");

        assertThat(parse(body, false, singleBytes(body))).containsExactly(recordWith("e1", "Zoë 😀 日本"), record("e2"));
    }

    @Test
    void shouldReadExpectedRecordsWhenNdjsonBodyIsSplit() {
        byte[] body = bytes(json(recordWith("e1", "Zoë 😀 日本")) + "\n\n" + json(record("e2")));

        assertThat(parse(body, true, singleBytes(body))).containsExactly(recordWith("e1", "Zoë 😀 日本"), record("e2"));
    }

    @Test
    void shouldAcceptEmptyChunksWhenFed() {
        byte[] body = bytes("[" + json(record("e1")) + "]");
        byte[] empty = new byte[0];

        assertThat(parse(body, false, List.of(empty, body, empty))).containsExactly(record("e1"));
        byte[] line = bytes(json(record("e1")));
        assertThat(parse(line, true, List.of(empty, line, empty))).containsExactly(record("e1"));
    }

    // ---------------------------------------------------------------- limits

    @ParameterizedTest(name = "ndjson={0}")
    @ValueSource(booleans = {false, true})
    void shouldAcceptBodyWhenItIsExactlyAtByteLimit(boolean ndjson) {
        byte[] body = bytes(json(record("e1")) + "\n" + json(record("e2")) + "\n");

        assertThatCode(() -> parse(body, ndjson, halves(body), body.length, MAX_RECORDS)).doesNotThrowAnyException();
        assertThat(parse(body, ndjson, halves(body), body.length, MAX_RECORDS)).hasSize(2);
    }

    @ParameterizedTest(name = "ndjson={0}")
    @ValueSource(booleans = {false, true})
    void shouldThrowTooLargeWhenBodyIsOneByteOverLimit(boolean ndjson) {
        byte[] body = bytes(json(record("e1")) + "\n" + json(record("e2")) + "\n");

        assertThatThrownBy(() -> parse(body, ndjson, halves(body), body.length - 1, MAX_RECORDS))
                .isInstanceOf(BodyRecords.TooLargeException.class)
                .hasMessageContaining(String.valueOf(body.length - 1));
    }

    @Test
    void shouldThrowTooLargeWhenLimitIsCrossedByLaterChunk() {
        BodyRecords records = new BodyRecords(JSON, false, 10, MAX_RECORDS);
        records.feed(bytes("[1,2,"));
        records.feed(bytes("3,4,"));

        assertThatThrownBy(() -> records.feed(bytes("5]"))).isInstanceOf(BodyRecords.TooLargeException.class);
    }

    @Test
    void shouldThrowTooLargeWhenOversizedBodyIsNotJson() {
        // the byte limit is checked before parsing, so a huge garbage body gets 413, not 400
        assertThatThrownBy(() -> parse(bytes("garbage garbage"), false, List.of(bytes("garbage garbage")), 8, MAX_RECORDS))
                .isInstanceOf(BodyRecords.TooLargeException.class);
    }

    static Stream<Arguments> recordLimitBodies() {
        String e = json(record("e"));
        return Stream.of(
                arguments("array", false, "[" + e + "," + e + "]", "[" + e + "," + e + "," + e + "]"),
                arguments("concatenated", false, e + e, e + e + e),
                arguments("ndjson", true, e + "\n" + e + "\n", e + "\n" + e + "\n" + e + "\n"),
                arguments("ndjson with a broken line", true, e + "\n{\n", e + "\n{\n" + e + "\n"),
                arguments("ndjson with blank lines", true, "\n" + e + "\n\n" + e + "\n\n\n", "\n" + e + "\n\n" + e + "\n\n" + e));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordLimitBodies")
    void shouldAcceptBodyWhenRecordCountIsAtLimit(String label, boolean ndjson, String atLimit, String overLimit) {
        assertThat(parse(bytes(atLimit), ndjson, List.of(bytes(atLimit)), MAX_BYTES, 2)).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordLimitBodies")
    void shouldThrowTooLargeWhenRecordCountExceedsLimit(String label, boolean ndjson, String atLimit, String overLimit) {
        assertThatThrownBy(() -> parse(bytes(overLimit), ndjson, List.of(bytes(overLimit)), MAX_BYTES, 2))
                .isInstanceOf(BodyRecords.TooLargeException.class)
                .hasMessageContaining("2");
    }

    @Test
    void shouldNotCountNestedArraysWhenCountingRecords() {
        assertThat(parse(bytes("[[1,2,3],{\"a\":[4,5,6]}]"), false, List.of(bytes("[[1,2,3],{\"a\":[4,5,6]}]")), MAX_BYTES, 2))
                .hasSize(2);
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, Object> record(String id) {
        return Events.score("family-1").id(id).score(40).raw();
    }

    private static Map<String, Object> recordWith(String id, String note) {
        return Events.payment("family-1").id(id).amount("450.10").data("note", note).raw();
    }

    private static String json(Map<String, Object> record) {
        return new String(JSON.write(record), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Object> parse(String body, boolean ndjson) {
        return parse(bytes(body), ndjson, List.of(bytes(body)));
    }

    private static List<Object> parse(byte[] body, boolean ndjson, List<byte[]> chunks) {
        return parse(body, ndjson, chunks, MAX_BYTES, MAX_RECORDS);
    }

    private static List<Object> parse(byte[] body, boolean ndjson, List<byte[]> chunks, long maxBytes, int maxRecords) {
        assertThat(chunks.stream().mapToInt(c -> c.length).sum()).as("chunks cover the body").isEqualTo(body.length);
        BodyRecords records = new BodyRecords(JSON, ndjson, maxBytes, maxRecords);
        for (byte[] chunk : chunks) {
            records.feed(chunk);
        }
        return new ArrayList<>(records.finish());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static List<byte[]> singleBytes(byte[] body) {
        List<byte[]> chunks = new ArrayList<>(body.length);
        for (byte b : body) {
            chunks.add(new byte[] {b});
        }
        return chunks;
    }

    private static List<byte[]> halves(byte[] body) {
        return List.of(Arrays.copyOfRange(body, 0, body.length / 2), Arrays.copyOfRange(body, body.length / 2, body.length));
    }

    private static List<byte[]> randomChunks(byte[] body, Random random) {
        List<byte[]> chunks = new ArrayList<>();
        int at = 0;
        while (at < body.length) {
            int size = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(Math.max(1, body.length / 3));
            int end = Math.min(body.length, at + size);
            chunks.add(Arrays.copyOfRange(body, at, end));
            at = end;
        }
        return chunks;
    }
}
