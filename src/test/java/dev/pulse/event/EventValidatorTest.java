package dev.pulse.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
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

/** SPEC §1.1 (wire rules), §1.2 (required data of known types) and §7 (strict types, schema versions). */
class EventValidatorTest {

    private final EventValidator validator = new EventValidator();

    // ---------------------------------------------------------------- a valid record

    @Test
    void shouldBuildEventWhenRecordIsValid() {
        Map<String, Object> raw = Events.score("family-123").id("0b7e6d1e-3f7a-4a57-9a31-6f0c1b2a9e11")
                .at("2026-11-23T09:10:00.000Z").score(40).data("old_score", 55).raw();

        Event event = accepted(raw);

        assertThat(event.eventId()).isEqualTo("0b7e6d1e-3f7a-4a57-9a31-6f0c1b2a9e11");
        assertThat(event.eventType()).isEqualTo("EngagementScoreUpdated");
        assertThat(event.aggregateId()).isEqualTo("family-123");
        assertThat(event.eventTimestamp()).isEqualTo(Instant.parse("2026-11-23T09:10:00Z"));
        assertThat(event.schemaVersion()).isEqualTo(1);
        assertThat(event.eventData()).containsExactly(Map.entry("new_score", 40), Map.entry("old_score", 55));
        assertThat(event.newScore()).contains(40);
        assertThat(event.amount()).isEmpty();
    }

    @Test
    void shouldAcceptSpecExampleWhenPaymentIsValid() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("event_id", "0b7e6d1e-3f7a-4a57-9a31-6f0c1b2a9e11");
        raw.put("event_type", "PaymentReceived");
        raw.put("aggregate_id", "family-123");
        raw.put("event_timestamp", "2026-11-23T09:10:00.000Z");
        raw.put("schema_version", 1);
        raw.put("event_data", new LinkedHashMap<>(Map.of("amount", new BigDecimal("450.00"))));

        Event event = accepted(raw);

        assertThat(event.amount()).contains(new BigDecimal("450.00"));
        assertThat(event.newScore()).isEmpty();
    }

    @Test
    void shouldKeepEventUnchangedWhenRawRecordIsMutatedAfterValidation() {
        Map<String, Object> raw = Events.score("family-1").score(40).raw();
        Event event = accepted(raw);

        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) raw.get("event_data");
        data.put("new_score", 99);
        data.put("extra", true);

        assertThat(event.eventData()).containsExactly(Map.entry("new_score", 40));
        assertThatThrownBy(() -> event.eventData().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldNameFieldAndRuleWhenRejectionIsShown() {
        Rejection rejection = rejected(Events.login("family-1").without("event_id").raw());

        assertThat(rejection.message()).isEqualTo("event_id: " + rejection.rule());
        assertThat(rejection.toString()).isEqualTo(rejection.message());
    }

    // ---------------------------------------------------------------- the record itself

    static Stream<Arguments> notObjects() {
        return Stream.of(
                arguments("array", List.of(Events.login("family-1").raw())),
                arguments("empty array", List.of()),
                arguments("string", "{\"event_id\":\"e1\"}"),
                arguments("null", null),
                arguments("integer", 42L),
                arguments("decimal", new BigDecimal("4.2")),
                arguments("boolean", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notObjects")
    void shouldRejectRecordWhenItIsNotAnObject(String kind, Object record) {
        Rejection rejection = rejected(record);

        assertThat(rejection.field()).isEqualTo("record");
        assertThat(rejection.rule()).contains("JSON object");
    }

    // ---------------------------------------------------------------- required strings

    static Stream<String> requiredFields() {
        return Stream.of("event_id", "event_type", "aggregate_id", "event_timestamp");
    }

    @ParameterizedTest
    @MethodSource("requiredFields")
    void shouldRejectWhenRequiredFieldIsMissing(String field) {
        Rejection rejection = rejected(Events.login("family-1").without(field).raw());

        assertThat(rejection.field()).isEqualTo(field);
        assertThat(rejection.rule()).contains("required");
    }

    @ParameterizedTest
    @MethodSource("requiredFields")
    void shouldRejectWhenRequiredFieldIsNull(String field) {
        Rejection rejection = rejected(Events.login("family-1").field(field, null).raw());

        assertThat(rejection.field()).isEqualTo(field);
        assertThat(rejection.rule()).contains("required");
    }

    static Stream<Arguments> wronglyTypedStrings() {
        return requiredFields().flatMap(field -> Stream.of(
                arguments(field, 42L),
                arguments(field, 42),
                arguments(field, new BigInteger("123456789012345678901234567890")),
                arguments(field, new BigDecimal("4.2")),
                arguments(field, true),
                arguments(field, List.of("e1")),
                arguments(field, new LinkedHashMap<>(Map.of("id", "e1")))));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("wronglyTypedStrings")
    void shouldRejectWhenRequiredFieldIsNotAString(String field, Object value) {
        Rejection rejection = rejected(Events.login("family-1").field(field, value).raw());

        assertThat(rejection.field()).isEqualTo(field);
        assertThat(rejection.rule()).contains("must be a string");
    }

    @Test
    void shouldRejectWhenTimestampIsEpochMillisNumber() {
        Rejection rejection = rejected(Events.login("family-1").field("event_timestamp", 1_795_424_200_000L).raw());

        assertThat(rejection.field()).isEqualTo("event_timestamp");
        assertThat(rejection.rule()).contains("must be a string");
    }

    // ---------------------------------------------------------------- lengths (code points)

    static Stream<Arguments> idLengths() {
        String emoji = "\uD83D\uDE00"; // one code point, two chars
        return Stream.of(
                arguments("event_id", "", false, "1..100"),
                arguments("event_id", "e", true, null),
                arguments("event_id", "e".repeat(100), true, null),
                arguments("event_id", "e".repeat(101), false, "1..100"),
                arguments("event_id", emoji.repeat(100), true, null),
                arguments("event_id", emoji.repeat(101), false, "1..100"),
                arguments("event_id", "é".repeat(100), true, null),
                arguments("aggregate_id", "", false, "1..200"),
                arguments("aggregate_id", "f", true, null),
                arguments("aggregate_id", "f".repeat(200), true, null),
                arguments("aggregate_id", "f".repeat(201), false, "1..200"),
                arguments("aggregate_id", emoji.repeat(200), true, null),
                arguments("aggregate_id", emoji.repeat(201), false, "1..200"));
    }

    @ParameterizedTest(name = "{0} of {1} chars: accepted={2}")
    @MethodSource("idLengths")
    void shouldCountCodePointsWhenCheckingLength(String field, String value, boolean valid, String rule) {
        Map<String, Object> raw = Events.login("family-1").field(field, value).raw();

        if (valid) {
            Event event = accepted(raw);
            assertThat(field.equals("event_id") ? event.eventId() : event.aggregateId()).isEqualTo(value);
        } else {
            Rejection rejection = rejected(raw);
            assertThat(rejection.field()).isEqualTo(field);
            assertThat(rejection.rule()).contains(rule);
        }
    }

    // ---------------------------------------------------------------- event_type pattern

    static Stream<String> acceptedTypes() {
        return Stream.of("A", "z", "Custom.Thing_1", "a.b_c", "X1", "Thing__..9", "T" + "x".repeat(99),
                "UserLogin", "PaymentOverdue");
    }

    @ParameterizedTest
    @MethodSource("acceptedTypes")
    void shouldAcceptTypeWhenItMatchesPattern(String type) {
        Event event = accepted(Events.of(type, "family-1").raw());

        assertThat(event.eventType()).isEqualTo(type);
    }

    static Stream<Arguments> rejectedTypes() {
        String pattern = "[A-Za-z][A-Za-z0-9_.]{0,99}";
        return Stream.of(
                arguments("1Thing", pattern),
                arguments("9", pattern),
                arguments("Thing One", pattern),
                arguments(" Thing", pattern),
                arguments("Thing ", pattern),
                arguments("_thing", pattern),
                arguments(".thing", pattern),
                arguments("Thing-1", pattern),
                arguments("Thing/1", pattern),
                arguments("Thïng", pattern),
                arguments("Thing\n", pattern),
                arguments("", "1..100"),
                arguments("T" + "x".repeat(100), "1..100"));
    }

    @ParameterizedTest(name = "''{0}''")
    @MethodSource("rejectedTypes")
    void shouldRejectTypeWhenItBreaksPattern(String type, String rule) {
        Rejection rejection = rejected(Events.of(type, "family-1").raw());

        assertThat(rejection.field()).isEqualTo("event_type");
        assertThat(rejection.rule()).contains(rule);
    }

    // ---------------------------------------------------------------- event_timestamp

    static Stream<Arguments> acceptedTimestamps() {
        return Stream.of(
                arguments("2026-11-23T09:10:00.000Z", "2026-11-23T09:10:00Z"),
                arguments("2026-11-23T09:10:00Z", "2026-11-23T09:10:00Z"),
                arguments("2026-11-23T09:10:00.5Z", "2026-11-23T09:10:00.500Z"),
                arguments("2026-11-23T09:10:00+02:00", "2026-11-23T07:10:00Z"),
                arguments("2026-11-23T09:10:00.250+02:00", "2026-11-23T07:10:00.250Z"),
                arguments("2026-11-23T01:10:00-05:30", "2026-11-23T06:40:00Z"),
                arguments("2026-11-23T00:30:00+01:00", "2026-11-22T23:30:00Z"),
                arguments("2026-11-23T09:10:00+00:00", "2026-11-23T09:10:00Z"),
                arguments("1969-07-20T20:17:40Z", "1969-07-20T20:17:40Z"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("acceptedTimestamps")
    void shouldConvertToUtcWhenTimestampHasOffset(String timestamp, String utc) {
        Event event = accepted(Events.login("family-1").at(timestamp).raw());

        assertThat(event.eventTimestamp()).isEqualTo(Instant.parse(utc));
    }

    static Stream<Arguments> subMillisecondTimestamps() {
        return Stream.of(
                arguments("2026-11-23T09:10:00.123456789Z", "2026-11-23T09:10:00.123Z"),
                arguments("2026-11-23T09:10:00.1234Z", "2026-11-23T09:10:00.123Z"),
                arguments("2026-11-23T09:10:00.9999Z", "2026-11-23T09:10:00.999Z"),
                arguments("2026-11-23T09:10:00.000999Z", "2026-11-23T09:10:00Z"),
                arguments("2026-11-23T11:10:00.123999+02:00", "2026-11-23T09:10:00.123Z"),
                arguments("1969-12-31T23:59:59.9999Z", "1969-12-31T23:59:59.999Z"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("subMillisecondTimestamps")
    void shouldTruncateToMillisecondsWhenTimestampIsFiner(String timestamp, String truncated) {
        Event event = accepted(Events.login("family-1").at(timestamp).raw());

        assertThat(event.eventTimestamp()).isEqualTo(Instant.parse(truncated));
    }

    static Stream<Arguments> rejectedTimestamps() {
        String iso = "ISO-8601";
        return Stream.of(
                arguments("2026-11-23T09:10:00", iso),          // no offset
                arguments("2026-11-23T09:10:00.000", iso),      // no offset
                arguments("2026-11-23", iso),
                arguments("09:10:00Z", iso),
                arguments("yesterday", iso),
                arguments("2026-13-01T00:00:00Z", iso),
                arguments("2026-11-31T00:00:00Z", iso),
                arguments("2026-11-23T25:00:00Z", iso),
                arguments("2026-11-23 09:10:00Z", iso),
                arguments("2026-11-23T09:10:00+2", iso),
                arguments("1795424200000", iso),
                arguments(" 2026-11-23T09:10:00Z", iso),
                arguments("", "1..100"),
                arguments("2026-11-23T09:10:00." + "1".repeat(100) + "Z", "1..100"));
    }

    @ParameterizedTest(name = "''{0}''")
    @MethodSource("rejectedTimestamps")
    void shouldRejectWhenTimestampIsNotInstantWithOffset(String timestamp, String rule) {
        Rejection rejection = rejected(Events.login("family-1").field("event_timestamp", timestamp).raw());

        assertThat(rejection.field()).isEqualTo("event_timestamp");
        assertThat(rejection.rule()).contains(rule);
    }

    @Test
    void shouldQuoteTimestampWhenRejectingIt() {
        Rejection rejection = rejected(Events.login("family-1").at("2026-11-23T09:10:00").raw());

        assertThat(rejection.rule()).contains("'2026-11-23T09:10:00'");
    }

    /**
     * Event time is kept as epoch milliseconds downstream (state, codec, windows); an instant whose millis do
     * not fit in a long is accepted here today and then throws ArithmeticException in
     * FamilyMetricsOperator.apply ({@code event.eventTimestamp().toEpochMilli()}): a poison pill.
     */
    @ParameterizedTest
    @ValueSource(strings = {"+300000000-01-01T00:00:00Z", "-300000000-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z"})
    void shouldRejectWhenTimestampIsOutsideEpochMillisRange(String timestamp) {
        Validated validated = validator.validate(Events.login("family-1").at(timestamp).raw());

        assertThat(validated)
                .as("an accepted event must have a timestamp representable in epoch millis")
                .isInstanceOf(Validated.Invalid.class);
        assertThat(((Validated.Invalid) validated).rejection().field()).isEqualTo("event_timestamp");
    }

    // ---------------------------------------------------------------- schema_version

    @Test
    void shouldDefaultToVersionOneWhenSchemaVersionIsAbsent() {
        assertThat(accepted(Events.login("family-1").without("schema_version").raw()).schemaVersion()).isEqualTo(1);
    }

    @Test
    void shouldDefaultToVersionOneWhenSchemaVersionIsNull() {
        assertThat(accepted(Events.login("family-1").version(null).raw()).schemaVersion()).isEqualTo(1);
    }

    static Stream<Arguments> integerOnes() {
        return typed(1, 1L, BigInteger.ONE, (short) 1);
    }

    @ParameterizedTest(name = "{1} ({0})")
    @MethodSource("integerOnes")
    void shouldAcceptVersionWhenItIsAnyJsonIntegerType(String javaType, Object version) {
        assertThat(accepted(Events.login("family-1").version(version).raw()).schemaVersion()).isEqualTo(1);
    }

    static Stream<Arguments> rejectedVersions() {
        return Stream.of(
                arguments(0L, ">= 1"),
                arguments(-1L, ">= 1"),
                arguments(Long.MIN_VALUE, ">= 1"),
                arguments(1L + Integer.MAX_VALUE, ">= 1"),
                arguments(new BigInteger("18446744073709551617"), ">= 1"), // 2^64 + 1: longValue() would be 1
                arguments(new BigDecimal("1.5"), "integer"),
                arguments(new BigDecimal("1.0"), "integer"),
                arguments(new BigDecimal("1E+0"), "integer"),
                arguments("1", "integer"),
                arguments(true, "integer"),
                arguments(List.of(1), "integer"),
                arguments(new LinkedHashMap<>(Map.of("v", 1)), "integer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedVersions")
    void shouldRejectWhenSchemaVersionIsNotPositiveInteger(Object version, String rule) {
        Rejection rejection = rejected(Events.login("family-1").version(version).raw());

        assertThat(rejection.field()).isEqualTo("schema_version");
        assertThat(rejection.rule()).contains(rule);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedVersions")
    void shouldRejectWhenUnknownTypeHasNonPositiveOrNonIntegerVersion(Object version, String rule) {
        Rejection rejection = rejected(Events.of("Custom.Thing_1", "family-1").version(version).raw());

        assertThat(rejection.field()).isEqualTo("schema_version");
        assertThat(rejection.rule()).contains(rule);
    }

    /** Every known type at one version above what §7 lets it have today (1 for most, see §3.6 for the others). */
    static Stream<Arguments> unsupportedVersions() {
        return Stream.of(
                arguments("PaymentOverdue", 2),
                arguments("ReminderSent", 2),
                arguments("UserLogin", 2),
                arguments("UserLogout", 2),
                arguments("EmailBounced", 2),
                arguments("EmailDelivered", 2),
                arguments("EmailOpened", 2),
                arguments("UserLogin", 7),
                // §7: payments and scores go up to 2 once the §3.6 upcasters exist; 3 is never supported.
                arguments("PaymentReceived", 3),
                arguments("EngagementScoreUpdated", 3));
    }

    @ParameterizedTest(name = "{0} v{1}")
    @MethodSource("unsupportedVersions")
    void shouldRejectNamingTypeAndVersionWhenKnownTypeVersionIsUnsupported(String type, int version) {
        Events.Builder event = switch (type) {
            case "PaymentReceived" -> Events.payment("family-1");
            case "EngagementScoreUpdated" -> Events.score("family-1");
            default -> Events.of(type, "family-1");
        };
        Map<String, Object> raw = event.version((long) version).raw();

        Rejection rejection = rejected(raw);

        assertThat(rejection.field()).isEqualTo("schema_version");
        assertThat(rejection.rule()).contains(String.valueOf(version)).contains((String) raw.get("event_type"));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 7, Integer.MAX_VALUE})
    void shouldAcceptAnyVersionWhenTypeIsUnknown(long version) {
        Event event = accepted(Events.of("Custom.Thing_1", "family-1").version(version).raw());

        assertThat(event.schemaVersion()).isEqualTo((int) version);
    }

    // ---------------------------------------------------------------- event_data

    @Test
    void shouldUseEmptyDataWhenEventDataIsAbsent() {
        Event event = accepted(Events.login("family-1").without("event_data").raw());

        assertThat(event.eventData()).isEmpty();
    }

    @Test
    void shouldUseEmptyDataWhenEventDataIsNull() {
        Event event = accepted(Events.login("family-1").field("event_data", null).raw());

        assertThat(event.eventData()).isEmpty();
    }

    static Stream<Arguments> notObjectData() {
        return Stream.of(
                arguments("array", List.of(Map.of("new_score", 50))),
                arguments("empty array", List.of()),
                arguments("string", "{\"new_score\": 50}"),
                arguments("integer", 50L),
                arguments("boolean", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notObjectData")
    void shouldRejectWhenEventDataIsNotAnObject(String kind, Object data) {
        Rejection rejection = rejected(Events.login("family-1").field("event_data", data).raw());

        assertThat(rejection.field()).isEqualTo("event_data");
        assertThat(rejection.rule()).contains("JSON object");
    }

    @Test
    void shouldKeepNullValuesWhenEventDataHoldsThem() {
        Event event = accepted(Events.login("family-1").data("device", null).data("n", 3).raw());

        assertThat(event.eventData()).containsEntry("device", null).containsEntry("n", 3);
    }

    // ---------------------------------------------------------------- EngagementScoreUpdated

    static Stream<Arguments> acceptedScores() {
        return typed(0, 0L, 1, 50L, 99, 100, 100L, BigInteger.valueOf(100), BigInteger.ZERO);
    }

    @ParameterizedTest(name = "{1} ({0})")
    @MethodSource("acceptedScores")
    void shouldAcceptScoreWhenIntegerIsWithinRange(String javaType, Object score) {
        Event event = accepted(Events.score("family-1").data("new_score", score).raw());

        assertThat(event.newScore()).contains(((Number) score).intValue());
    }

    static Stream<Arguments> rejectedNewScores() {
        return Stream.of(
                arguments("\"50\" (string)", "50", "0..100"),
                arguments("50.5", new BigDecimal("50.5"), "0..100"),
                arguments("50.0", new BigDecimal("50.0"), "0..100"),
                arguments("-1", -1L, "0..100"),
                arguments("101", 101L, "0..100"),
                arguments("2^31 + 100", 2_147_483_748L, "0..100"),
                arguments("2^64 + 50", new BigInteger("18446744073709551666"), "0..100"),
                arguments("true", true, "0..100"),
                arguments("array", List.of(50), "0..100"),
                arguments("object", new LinkedHashMap<>(Map.of("value", 50)), "0..100"));
    }

    @ParameterizedTest(name = "new_score {0}")
    @MethodSource("rejectedNewScores")
    void shouldRejectWhenNewScoreIsNotIntegerInRange(String label, Object score, String rule) {
        Rejection rejection = rejected(Events.score("family-1").data("new_score", score).raw());

        assertThat(rejection.field()).isEqualTo("event_data.new_score");
        assertThat(rejection.rule()).contains(rule);
    }

    @Test
    void shouldRejectWhenNewScoreIsMissing() {
        Rejection rejection = rejected(Events.score("family-1").withoutData("new_score").raw());

        assertThat(rejection.field()).isEqualTo("event_data.new_score");
        assertThat(rejection.rule()).contains("required");
    }

    @Test
    void shouldRejectWhenNewScoreIsNull() {
        Rejection rejection = rejected(Events.score("family-1").data("new_score", null).raw());

        assertThat(rejection.field()).isEqualTo("event_data.new_score");
        assertThat(rejection.rule()).contains("required");
    }

    @Test
    void shouldRejectWhenScoreEventHasNoEventData() {
        Rejection rejection = rejected(Events.score("family-1").without("event_data").raw());

        assertThat(rejection.field()).isEqualTo("event_data.new_score");
        assertThat(rejection.rule()).contains("required");
    }

    @ParameterizedTest(name = "old_score {0}")
    @MethodSource("rejectedNewScores")
    void shouldRejectWhenOldScoreIsWronglyTyped(String label, Object oldScore, String rule) {
        Rejection rejection = rejected(Events.score("family-1").data("old_score", oldScore).raw());

        assertThat(rejection.field()).isEqualTo("event_data.old_score");
        assertThat(rejection.rule()).contains(rule);
    }

    @Test
    void shouldAcceptWhenOldScoreIsAbsentOrNull() {
        accepted(Events.score("family-1").raw());
        Event event = accepted(Events.score("family-1").data("old_score", null).raw());

        assertThat(event.eventData()).containsEntry("old_score", null);
    }

    // ---------------------------------------------------------------- PaymentReceived

    static Stream<Arguments> acceptedAmounts() {
        return typed(new BigDecimal("0.01"), new BigDecimal("450.10"), new BigDecimal("1E+3"), 10, 10L,
                new BigInteger("123456789012345678901234567890"), new BigDecimal("0.000001"));
    }

    @ParameterizedTest(name = "{1} ({0})")
    @MethodSource("acceptedAmounts")
    void shouldAcceptAmountWhenNumberIsPositive(String javaType, Object amount) {
        Event event = accepted(Events.payment("family-1").data("amount", amount).raw());

        assertThat(event.amount()).hasValueSatisfying(a -> assertThat(a).isEqualByComparingTo(new BigDecimal(amount.toString())));
    }

    @Test
    void shouldKeepScaleWhenAmountIsDecimal() {
        Event event = accepted(Events.payment("family-1").amount("450.10").raw());

        assertThat(event.amount()).contains(new BigDecimal("450.10"));
        assertThat(event.amount().orElseThrow().scale()).isEqualTo(2);
    }

    static Stream<Arguments> rejectedAmounts() {
        return Stream.of(
                arguments("\"10\" (string)", "10", "must be a number"),
                arguments("true", true, "must be a number"),
                arguments("array", List.of(10), "must be a number"),
                arguments("object", new LinkedHashMap<>(Map.of("value", 10)), "must be a number"),
                arguments("0", 0L, "> 0"),
                arguments("0.00", new BigDecimal("0.00"), "> 0"),
                arguments("-5", -5L, "> 0"),
                arguments("-0.01", new BigDecimal("-0.01"), "> 0"),
                arguments("-2^64", new BigInteger("-18446744073709551616"), "> 0"));
    }

    @ParameterizedTest(name = "amount {0}")
    @MethodSource("rejectedAmounts")
    void shouldRejectWhenAmountIsNotPositiveNumber(String label, Object amount, String rule) {
        Rejection rejection = rejected(Events.payment("family-1").data("amount", amount).raw());

        assertThat(rejection.field()).isEqualTo("event_data.amount");
        assertThat(rejection.rule()).contains(rule);
    }

    @Test
    void shouldRejectWhenAmountIsMissing() {
        Rejection rejection = rejected(Events.payment("family-1").withoutData("amount").raw());

        assertThat(rejection.field()).isEqualTo("event_data.amount");
        assertThat(rejection.rule()).contains("required");
    }

    @Test
    void shouldRejectWhenAmountIsNull() {
        Rejection rejection = rejected(Events.payment("family-1").data("amount", null).raw());

        assertThat(rejection.field()).isEqualTo("event_data.amount");
        assertThat(rejection.rule()).contains("required");
    }

    @ParameterizedTest(name = "currency {0}")
    @MethodSource("notStrings")
    void shouldRejectWhenCurrencyIsNotAString(Object currency) {
        Rejection rejection = rejected(Events.payment("family-1").data("currency", currency).raw());

        assertThat(rejection.field()).isEqualTo("event_data.currency");
        assertThat(rejection.rule()).contains("must be a string");
    }

    @Test
    void shouldAcceptWhenCurrencyIsAbsentOrNull() {
        accepted(Events.payment("family-1").withoutData("currency").raw());
        accepted(Events.payment("family-1").data("currency", null).raw());
        accepted(Events.payment("family-1").data("currency", "eur").raw());
    }

    // ---------------------------------------------------------------- Email*

    static Stream<Object> notStrings() {
        return Stream.of(978L, new BigDecimal("9.78"), true, List.of("EUR"), new LinkedHashMap<>(Map.of("code", "EUR")));
    }

    static Stream<Arguments> emailTypesAndNotStrings() {
        return Stream.of("EmailBounced", "EmailDelivered", "EmailOpened")
                .flatMap(type -> notStrings().map(value -> arguments(type, value)));
    }

    @ParameterizedTest(name = "{0} email {1}")
    @MethodSource("emailTypesAndNotStrings")
    void shouldRejectWhenEmailIsNotAString(String type, Object email) {
        Rejection rejection = rejected(Events.of(type, "family-1").data("email", email).raw());

        assertThat(rejection.field()).isEqualTo("event_data.email");
        assertThat(rejection.rule()).contains("must be a string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"EmailBounced", "EmailDelivered", "EmailOpened"})
    void shouldAcceptEmailEventWhenEmailIsStringAbsentOrNull(String type) {
        accepted(Events.of(type, "family-1").data("email", "a@example.org").raw());
        accepted(Events.of(type, "family-1").raw());
        accepted(Events.of(type, "family-1").data("email", null).raw());
    }

    // ---------------------------------------------------------------- types without required data, unknown types

    @ParameterizedTest
    @ValueSource(strings = {"PaymentOverdue", "ReminderSent", "UserLogin", "UserLogout"})
    void shouldAcceptWhenKnownTypeWithoutRequiredDataHasEmptyData(String type) {
        Event event = accepted(Events.of(type, "family-1").raw());

        assertThat(event.eventData()).isEmpty();
        assertThat(event.newScore()).isEmpty();
        assertThat(event.amount()).isEmpty();
    }

    @Test
    void shouldAcceptAnyDataWhenTypeIsUnknown() {
        Event event = accepted(Events.of("Custom.Thing_1", "family-1")
                .data("new_score", "not a number").data("amount", -5).data("nested", List.of(Map.of("a", 1))).raw());

        assertThat(event.eventType()).isEqualTo("Custom.Thing_1");
        assertThat(event.eventData()).containsEntry("new_score", "not a number").containsEntry("amount", -5);
        assertThat(event.newScore()).isEmpty();
        assertThat(event.amount()).isEmpty();
    }

    /** Type names are exact: a differently cased known name is an unknown type, not the known one. */
    @ParameterizedTest
    @ValueSource(strings = {"engagementscoreupdated", "PAYMENTRECEIVED", "Paymentreceived"})
    void shouldTreatTypeAsUnknownWhenCaseDiffersFromKnownName(String type) {
        Event event = accepted(Events.of(type, "family-1").version(5L).raw());

        assertThat(event.newScore()).isEmpty();
        assertThat(event.amount()).isEmpty();
    }

    @Test
    void shouldIgnoreUnknownTopLevelFields() {
        Map<String, Object> raw = Events.score("family-1").score(40)
                .field("source", "crm")
                .field("EVENT_ID", 5)
                .field("trace", new LinkedHashMap<>(Map.of("id", List.of(1, 2))))
                .field("nothing", null)
                .raw();

        Event event = accepted(raw);

        assertThat(event.newScore()).contains(40);
        assertThat(event.eventId()).isEqualTo(raw.get("event_id"));
    }

    // ---------------------------------------------------------------- limits on every value (hostile input, issue 8)

    @Test
    void shouldAcceptStringsUpToTheLimitCountedInCharactersNotUtf16Units() {
        // 10,000 emoji are 20,000 UTF-16 units and 40,000 UTF-8 bytes, but 10,000 characters
        accepted(Events.login("family-1").data("note", "😀".repeat(EventValidator.DEFAULT_MAX_STRING_LENGTH)).raw());
    }

    static Stream<Arguments> valuesOverTheLimits() {
        String tooLong = "x".repeat(EventValidator.DEFAULT_MAX_STRING_LENGTH + 1);
        return Stream.of(
                arguments("long string in event_data", Events.login("family-1").data("note", tooLong).raw(),
                        "event_data.note", "must be at most 10000 characters, was 10001"),
                arguments("long string deep in a list", Events.login("family-1")
                                .data("items", List.of(Map.of("a", 1), Map.of("name", tooLong))).raw(),
                        "event_data.items[1].name", "must be at most 10000 characters, was 10001"),
                arguments("long string in an unknown top-level field", Events.login("family-1").field("comment", tooLong).raw(),
                        "comment", "must be at most 10000 characters, was 10001"),
                arguments("long property name", Events.login("family-1").data(tooLong, 1).raw(),
                        "event_data." + "x".repeat(40) + "...", "property name must be at most 10000 characters, was 10001"),
                arguments("NUL in aggregate_id", Events.login("fam\u0000ily").raw(),
                        "aggregate_id", "must not contain U+0000 (NUL), found at character 3"),
                arguments("NUL in event_id", Events.login("family-1").id("\u0000").raw(),
                        "event_id", "must not contain U+0000 (NUL), found at character 0"),
                arguments("NUL in the currency a rule compares", Events.payment("family-1").amount("10").data("currency", "EU\u0000").raw(),
                        "event_data.currency", "must not contain U+0000 (NUL), found at character 2"),
                arguments("NUL in a property name", Events.login("family-1").data("a\u0000", 1).raw(),
                        "event_data.a\u0000", "property name must not contain U+0000 (NUL), found at character 1"),
                arguments("lone high surrogate", Events.login("family-1").data("note", "ok \ud83d").raw(),
                        "event_data.note", "must be valid Unicode, found an unpaired surrogate \\uD83D at character 3"),
                arguments("lone low surrogate in aggregate_id", Events.login("\ude00family").raw(),
                        "aggregate_id", "must be valid Unicode, found an unpaired surrogate \\uDE00 at character 0"),
                arguments("reversed surrogate pair", Events.login("family-1").data("note", "\ude00\ud83d").raw(),
                        "event_data.note", "must be valid Unicode, found an unpaired surrogate \\uDE00 at character 0"),
                arguments("huge exponent", Events.login("family-1").data("n", new BigDecimal("1e999999999")).raw(),
                        "event_data.n", "must be a number with at most 40 digits before and 40 after the decimal point, was 1E+999999999"),
                arguments("tiny exponent", Events.login("family-1").data("n", new BigDecimal("1e-41")).raw(),
                        "event_data.n", "must be a number with at most 40 digits before and 40 after the decimal point, was 1E-41"),
                arguments("amount overflowing numeric", Events.payment("family-1").amount("1e200000").raw(),
                        "event_data.amount", "must be a number with at most 40 digits before and 40 after the decimal point, was 1E+200000"),
                arguments("41-digit integer", Events.login("family-1").data("n", new BigInteger("9".repeat(41))).raw(),
                        "event_data.n", "must be a number with at most 40 digits before and 40 after the decimal point, was "
                                + "9".repeat(40) + "..."),
                arguments("amount_cents of version 2 overflowing", Events.payment("family-1").version(2).withoutData("amount")
                                .data("amount_cents", new BigInteger("1" + "0".repeat(50))).raw(),
                        "event_data.amount_cents", "must be a number with at most 40 digits before and 40 after the decimal point, was "
                                + "1" + "0".repeat(39) + "..."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesOverTheLimits")
    void shouldRejectRecordNamingThePathWhenAnyValueBreaksALimit(String name, Map<String, Object> raw, String field, String rule) {
        Rejection rejection = rejected(raw);

        assertThat(rejection.field()).isEqualTo(field);
        assertThat(rejection.rule()).isEqualTo(rule);
    }

    @Test
    void shouldAcceptNumbersAtTheLimitsAndPairedSurrogates() {
        accepted(Events.login("family-1")
                .data("big", new BigInteger("9".repeat(40)))
                .data("small", new BigDecimal("0." + "0".repeat(39) + "1"))
                .data("emoji", "\ud83d\ude00 family \u00e9")
                .data("double", 1.5e300 / 1e280)
                .raw());
    }

    @Test
    void shouldApplyItsOwnRuleFirstWhenAFieldHasOne() {
        // event_id has its own bound (100); the general string limit does not replace that message
        Rejection rejection = rejected(Events.login("family-1").id("x".repeat(20_000)).raw());

        assertThat(rejection.message()).isEqualTo("event_id: must be 1..100 characters, was 20000");
    }

    @Test
    void shouldUseTheConfiguredStringLimitWhenGivenOne() {
        EventValidator strict = new EventValidator(200);
        Validated validated = strict.validate(Events.login("family-1").data("note", "x".repeat(201)).raw());

        assertThat(validated).isInstanceOf(Validated.Invalid.class);
        assertThat(((Validated.Invalid) validated).rejection().message())
                .isEqualTo("event_data.note: must be at most 200 characters, was 201");
        assertThatThrownBy(() -> new EventValidator(199)).hasMessage("maxStringLength must be >= 200, was 199");
    }

    @Test
    void shouldNeverPutAnUnpairedSurrogateIntoTheMessage() {
        // the message is written as JSON and into a DLQ header: a half pair cut off by the excerpt cannot be encoded
        String timestamp = "2026-11-23T" + "x".repeat(28) + "😀 and more";  // the emoji is the 40th character
        Rejection rejection = rejected(Events.login("family-1").at(timestamp).raw());

        assertThat(rejection.rule()).endsWith("was '2026-11-23T" + "x".repeat(28) + "😀...'");
        assertThat(rejection.rule().codePoints().anyMatch(c -> Character.isSurrogate((char) c) && c < 0x10000)).isFalse();
        Rejection lone = rejected(Events.login("family-1").data("\ud800", 1).raw());
        assertThat(lone.field()).isEqualTo("event_data.\ufffd");
    }

    // ---------------------------------------------------------------- helpers

    private Event accepted(Object record) {
        Validated validated = validator.validate(record);
        assertThat(validated).as("validation of %s", record).isInstanceOf(Validated.Valid.class);
        return ((Validated.Valid) validated).event();
    }

    private Rejection rejected(Object record) {
        Validated validated = validator.validate(record);
        assertThat(validated).as("validation of %s", abbreviate(record)).isInstanceOf(Validated.Invalid.class);
        Rejection rejection = ((Validated.Invalid) validated).rejection();
        assertThat(rejection.rule()).isNotBlank();
        return rejection;
    }

    private static Stream<Arguments> typed(Object... values) {
        return Arrays.stream(values).map(v -> arguments(v.getClass().getSimpleName(), v));
    }

    private static String abbreviate(Object record) {
        String text = String.valueOf(record);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
