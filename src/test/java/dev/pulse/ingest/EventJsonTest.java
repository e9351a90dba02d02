package dev.pulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.event.Validated;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The wire JSON of SPEC §1.1 with the strict types of §7: integers stay integers, decimals stay exact. */
class EventJsonTest {

    private final EventJson json = new EventJson();

    // ---------------------------------------------------------------- number types

    static Stream<Arguments> integers() {
        return Stream.of(
                arguments("0", 0L),
                arguments("50", 50L),
                arguments("-1", -1L),
                arguments("2147483647", 2147483647L),
                arguments("2147483648", 2147483648L),
                arguments("-9223372036854775808", Long.MIN_VALUE),
                arguments("9223372036854775807", Long.MAX_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("integers")
    void shouldKeepIntegerTypeWhenNumberHasNoFraction(String text, long expected) {
        Object value = json.readValue(bytes(text));

        assertThat(value).isInstanceOfAny(Integer.class, Long.class, BigInteger.class);
        assertThat(((Number) value).longValue()).isEqualTo(expected);
    }

    @Test
    void shouldReadBigIntegerWhenIntegerExceedsLong() {
        Object value = json.readValue(bytes("123456789012345678901234567890"));

        assertThat(value).isEqualTo(new BigInteger("123456789012345678901234567890"));
    }

    static Stream<Arguments> decimals() {
        return Stream.of(
                arguments("450.10", "450.10", 2),
                arguments("450.00", "450.00", 2),
                arguments("0.1", "0.1", 1),
                arguments("50.0", "50.0", 1),
                arguments("-0.01", "-0.01", 2),
                arguments("1e3", "1E+3", -3),
                arguments("1.5E-7", "1.5E-7", 8),
                arguments("0.30000000000000000000000001", "0.30000000000000000000000001", 26));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decimals")
    void shouldKeepDecimalExactWhenNumberHasFractionOrExponent(String text, String expected, int scale) {
        Object value = json.readValue(bytes(text));

        assertThat(value).isInstanceOf(BigDecimal.class).isEqualTo(new BigDecimal(expected));
        assertThat(((BigDecimal) value).scale()).isEqualTo(scale);
    }

    @Test
    void shouldKeepNumberTypesWhenNestedInEvent() {
        @SuppressWarnings("unchecked")
        Map<String, Object> record = (Map<String, Object>) json.readValue(bytes("""
                {"event_id":"e1","schema_version":1,"event_data":{"amount":450.10,"new_score":50,"big":12345678901,
                 "list":[1,2.5,"x",true,false,null,{}],"n":null}}"""));

        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) record.get("event_data");
        assertThat(record.get("schema_version")).isInstanceOfAny(Integer.class, Long.class).isEqualTo(1);
        assertThat(data.get("amount")).isEqualTo(new BigDecimal("450.10"));
        assertThat(data.get("new_score")).isInstanceOfAny(Integer.class, Long.class);
        assertThat(((Number) data.get("new_score")).intValue()).isEqualTo(50);
        assertThat(data.get("big")).isEqualTo(12345678901L);
        assertThat(data.get("list")).isEqualTo(Arrays.asList(1, new BigDecimal("2.5"), "x", true, false, null, Map.of()));
        assertThat(data).containsEntry("n", null);
    }

    // ---------------------------------------------------------------- shapes

    @Test
    void shouldKeepFieldOrderWhenReadingObject() {
        Object value = json.readValue(bytes("{\"z\":1,\"a\":2,\"m\":3}"));

        assertThat(value).isInstanceOf(LinkedHashMap.class);
        assertThat(new ArrayList<Object>(((Map<?, ?>) value).keySet())).containsExactly("z", "a", "m");
    }

    static Stream<Arguments> scalars() {
        return Stream.of(
                arguments("\"x\"", "x"),
                arguments("\"Zoë \\u00e9 \\uD83D\\uDE00\"", "Zoë é \uD83D\uDE00"),
                arguments("true", true),
                arguments("false", false),
                arguments("  \n\t 42 \r\n", 42));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalars")
    void shouldReadValueWhenDocumentIsScalar(String text, Object expected) {
        assertThat(json.readValue(bytes(text))).isEqualTo(expected);
    }

    @Test
    void shouldReadNullWhenDocumentIsNull() {
        assertThat(json.readValue(bytes("null"))).isNull();
    }

    @Test
    void shouldReadArrayWhenDocumentIsArray() {
        Object value = json.readValue(bytes("[{\"a\":1},[],[[2]]]"));

        assertThat(value).isEqualTo(List.of(Map.of("a", 1), List.of(), List.of(List.of(2))));
    }

    @Test
    void shouldDecodeUtf8WhenStringHasMultibyteCharacters() {
        Object value = json.readValue("{\"name\":\"Zoë 😀 日本\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(value).isEqualTo(Map.of("name", "Zoë 😀 日本"));
    }

    // ---------------------------------------------------------------- malformed input

    static Stream<String> malformed() {
        return Stream.of(
                "{",
                "}",
                "[",
                "[1,2",
                "{\"a\":}",
                "{\"a\" 1}",
                "{\"a\":1,}",
                "[1,]",
                "{a:1}",
                "{'a':1}",
                "tru",
                "nul",
                "NaN",
                "Infinity",
                "01",
                "1.",
                ".5",
                "+1",
                "\"unterminated",
                "\"bad escape \\x\"",
                "{\"a\":1}}",
                "{\"a\":1]",
                "// comment\n{}",
                "{\"amount\": 1E+",
                "1E+",
                "garbage");
    }

    @ParameterizedTest(name = "''{0}''")
    @MethodSource("malformed")
    void shouldThrowMalformedWhenInputIsNotJson(String text) {
        assertThatThrownBy(() -> json.readValue(bytes(text))).isInstanceOf(EventJson.MalformedJsonException.class);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", " ", "\n\n", "\t \r\n"})
    void shouldThrowMalformedWhenInputIsEmpty(String text) {
        assertThatThrownBy(() -> json.readValue(bytes(text)))
                .isInstanceOf(EventJson.MalformedJsonException.class)
                .hasMessageContaining("no complete JSON value");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"{} {}", "{}{}", "{\"a\":1}\n{\"a\":2}", "[] []", "1 2", "\"a\" \"b\"", "null null", "{} 1"})
    void shouldThrowMalformedWhenInputHoldsTwoValues(String text) {
        assertThatThrownBy(() -> json.readValue(bytes(text)))
                .isInstanceOf(EventJson.MalformedJsonException.class)
                .hasMessageContaining("more than one JSON value");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"{}x", "{} ]", "[]}", "1 x"})
    void shouldThrowMalformedWhenValueIsFollowedByGarbage(String text) {
        assertThatThrownBy(() -> json.readValue(bytes(text))).isInstanceOf(EventJson.MalformedJsonException.class);
    }

    @Test
    void shouldThrowMalformedWhenBytesAreNotUtf8() {
        byte[] bytes = {'"', (byte) 0xC3, (byte) 0x28, '"'};

        assertThatThrownBy(() -> json.readValue(bytes)).isInstanceOf(EventJson.MalformedJsonException.class);
    }

    // ---------------------------------------------------------------- nesting depth

    @Test
    void shouldReadValueWhenNestingIsAtLimit() {
        Object value = json.readValue(bytes(nestedArrays(EventJson.MAX_NESTING_DEPTH)));

        assertThat(depthOf(value)).isEqualTo(EventJson.MAX_NESTING_DEPTH);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 1000, 100_000})
    void shouldThrowMalformedWhenArraysNestDeeperThanLimit(int extra) {
        byte[] body = bytes(nestedArrays(EventJson.MAX_NESTING_DEPTH + extra));

        assertThatThrownBy(() -> json.readValue(body)).isInstanceOf(EventJson.MalformedJsonException.class);
    }

    @Test
    void shouldThrowMalformedWhenObjectsNestDeeperThanLimit() {
        int depth = EventJson.MAX_NESTING_DEPTH + 1;
        String text = "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);

        assertThatThrownBy(() -> json.readValue(bytes(text))).isInstanceOf(EventJson.MalformedJsonException.class);
    }

    @Test
    void shouldReadEventWhenDataNestsObjectsUpToLimit() {
        // the event object itself and event_data take two levels
        int inner = EventJson.MAX_NESTING_DEPTH - 2;
        String data = "{\"a\":".repeat(inner) + "1" + "}".repeat(inner);
        String text = """
                {"event_id":"e1","event_type":"Custom.Deep","aggregate_id":"f","event_timestamp":"2026-11-23T09:10:00Z",
                 "event_data":{"deep":%s}}""".formatted(data);

        assertThat(json.decode(bytes(text))).isInstanceOf(Validated.Valid.class);
    }

    static Stream<Arguments> overParserLimits() {
        return Stream.of(
                arguments("nesting", nestedArrays(EventJson.MAX_NESTING_DEPTH + 1),
                        "Document nesting depth (65) exceeds the maximum allowed (64)"),
                arguments("number length", "[" + "1".repeat(EventJson.MAX_NUMBER_LENGTH + 1) + "]",
                        "Number value length (1001) exceeds the maximum allowed (1000)"),
                arguments("name length", "{\"" + "n".repeat(EventJson.MAX_NAME_LENGTH + 1) + "\": 1}",
                        "Name length (50001) exceeds the maximum allowed (50000)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overParserLimits")
    void shouldNameTheLimitWithoutJacksonInternalsWhenInputBreaksOne(String name, String text, String message) {
        assertThatThrownBy(() -> json.readValue(bytes(text)))
                .isInstanceOf(EventJson.LimitExceededException.class)
                .hasMessage(message);
    }

    @Test
    void shouldSendRecordsOverTheStringLimitToTheDeadLetterPathWhenDecodingFromTheLog() {
        EventJson strict = new EventJson(new dev.pulse.event.EventValidator(200));
        String text = """
                {"event_id":"e1","event_type":"UserLogin","aggregate_id":"f","event_timestamp":"2026-11-23T09:10:00Z",
                 "event_data":{"note":"%s"}}""".formatted("x".repeat(201));

        assertThat(strict.decode(bytes(text))).isInstanceOf(Validated.Invalid.class);
        assertThat(json.decode(bytes(text))).isInstanceOf(Validated.Valid.class);
    }

    // ---------------------------------------------------------------- write and decode

    @Test
    void shouldReadSameRecordWhenWrittenRecordIsReadBack() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("amount", new BigDecimal("450.10"));
        data.put("tiny", new BigDecimal("0.000001"));
        data.put("count", 3);
        data.put("big", 12345678901L);
        data.put("huge", new BigInteger("123456789012345678901234567890"));
        data.put("flag", true);
        data.put("none", null);
        data.put("text", "Zoë \"quoted\" \\ 😀\n");
        data.put("list", new ArrayList<>(Arrays.asList(1, "x", null, new LinkedHashMap<>(Map.of("k", false)))));
        Map<String, Object> record = Events.payment("family-1").id("e1").field("extra", "kept").raw();
        record.put("event_data", data);

        Object back = json.readValue(json.write(record));

        assertThat(back).isEqualTo(record);
        @SuppressWarnings("unchecked")
        Map<String, Object> backData = (Map<String, Object>) ((Map<String, Object>) back).get("event_data");
        assertThat(((BigDecimal) backData.get("amount")).scale()).isEqualTo(2);
        assertThat(new ArrayList<Object>(((Map<?, ?>) back).keySet())).containsExactlyElementsOf(record.keySet());
    }

    @Test
    void shouldReadSameValuesWhenWrittenListIsReadBack() {
        List<Object> values = new ArrayList<>(Arrays.asList(1, new BigDecimal("2.50"), "three", null,
                Events.login("family-1").id("e1").raw()));

        assertThat(json.readValue(json.write(values))).isEqualTo(values);
    }

    @Test
    void shouldDecodeSameEventWhenValidRecordIsWrittenAndDecoded() {
        Map<String, Object> record = Events.payment("family-1").id("e1").at("2026-11-23T11:10:00.123+02:00").amount("450.10").raw();
        Event expected = Events.valid(record);

        Validated decoded = json.decode(json.write(record));

        assertThat(decoded).isEqualTo(new Validated.Valid(expected));
        assertThat(((Validated.Valid) decoded).event().amount()).contains(new BigDecimal("450.10"));
    }

    @Test
    void shouldRejectStringNumberWhenDecodingWithoutCoercion() {
        Validated decoded = json.decode(bytes("""
                {"event_id":"e1","event_type":"EngagementScoreUpdated","aggregate_id":"family-1",
                 "event_timestamp":"2026-11-23T09:10:00Z","event_data":{"new_score":"50"}}"""));

        assertThat(decoded).isInstanceOf(Validated.Invalid.class);
        assertThat(((Validated.Invalid) decoded).rejection().field()).isEqualTo("event_data.new_score");
    }

    @Test
    void shouldRejectDecimalScoreWhenDecoding() {
        Validated decoded = json.decode(bytes("""
                {"event_id":"e1","event_type":"EngagementScoreUpdated","aggregate_id":"family-1",
                 "event_timestamp":"2026-11-23T09:10:00Z","event_data":{"new_score":50.0}}"""));

        assertThat(decoded).isInstanceOf(Validated.Invalid.class);
        assertThat(((Validated.Invalid) decoded).rejection().field()).isEqualTo("event_data.new_score");
    }

    @Test
    void shouldThrowMalformedWhenDecodingNonJson() {
        assertThatThrownBy(() -> json.decode(bytes("{\"event_id\":"))).isInstanceOf(EventJson.MalformedJsonException.class);
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String nestedArrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private static int depthOf(Object value) {
        if (value instanceof List<?> list) {
            return 1 + list.stream().mapToInt(EventJsonTest::depthOf).max().orElse(0);
        }
        if (value instanceof Map<?, ?> map) {
            return 1 + map.values().stream().mapToInt(EventJsonTest::depthOf).max().orElse(0);
        }
        return 0;
    }
}
