package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.pulse.engine.EngineOutput;
import dev.pulse.engine.EngineSettings;
import dev.pulse.engine.FamilySnapshot;
import dev.pulse.engine.PartitionEngine;
import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.event.Validated;
import dev.pulse.family.AlertHistory;
import dev.pulse.family.AlertLevel;
import dev.pulse.family.EngagementRules;
import dev.pulse.ingest.EventJson;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stored form of a family's engine state, its head and its retained events apart: a round trip through both
 * gives the same snapshot, field by field.
 */
class FamilySnapshotCodecTest {

    private static final String FAMILY = "family-1";
    private static final Instant T = Instant.parse("2026-11-23T09:10:00Z");

    private final EventJson json = new EventJson();
    private final FamilySnapshotCodec codec = new FamilySnapshotCodec(json);

    private Event wire(String record) {
        Validated validated = json.decode(record.getBytes(StandardCharsets.UTF_8));
        assertThat(validated).as("fixture %s", record).isInstanceOf(Validated.Valid.class);
        return ((Validated.Valid) validated).event();
    }

    private static FamilySnapshot snapshot(List<Event> events, AlertHistory.Resume carry, Instant frozenBefore) {
        return new FamilySnapshot(FAMILY, events, events.size(), events.isEmpty() ? null : events.get(events.size() - 1).eventTimestamp(),
                carry, frozenBefore, null, new dev.pulse.rules.FamilyRulesState(FAMILY, Instant.MIN, List.of(), List.of()), null);
    }

    /** Through the head and one stored row per retained event, as a checkpoint writes them and a restore reads them. */
    private FamilySnapshot roundTrip(FamilySnapshot snapshot) {
        List<Event> retained = snapshot.events().stream().map(this::roundTrip).toList();
        return codec.decode(snapshot.familyId(), codec.encodeHead(snapshot.head()), retained);
    }

    private Event roundTrip(Event event) {
        return codec.decodeEvent(event.aggregateId(), event.eventId(), StoredEventCodec.millis(event), codec.encodeEvent(event));
    }

    private List<Event> mixedEvents() {
        return List.of(
                Events.score(FAMILY).at(T.minus(Duration.ofDays(3))).score(40).data("old_score", 55).id("s1").build(),
                Events.payment(FAMILY).at(T.minus(Duration.ofDays(2))).amount("450.10").id("p1").build(),
                wire("""
                        {"event_id":"p2","event_type":"PaymentReceived","aggregate_id":"family-1",
                         "event_timestamp":"2026-11-22T11:10:00.123+02:00","event_data":{"amount":0.010,"currency":"eur"}}"""),
                Events.login(FAMILY).at(T.minus(Duration.ofHours(5))).id("l1").build(),
                wire("""
                        {"event_id":"ünïcødé-✓","event_type":"Custom.Thing_2","aggregate_id":"family-1",
                         "event_timestamp":"2026-11-23T08:00:00Z","schema_version":7,
                         "event_data":{"nested":{"list":[1,2.50,"x",null,true],"empty":{}},"none":null,
                                       "big":12345678901234567890,"long":3000000000,"flag":false}}"""),
                wire("""
                        {"event_id":"o1","event_type":"PaymentOverdue","aggregate_id":"family-1",
                         "event_timestamp":"2026-11-23T09:10:00Z","event_data":null}"""));
    }

    @Test
    void shouldRestoreVersionTwoEventsAsTheVersionOneFormTheyWereReadIn() {
        // SPEC §3.6: the upcasters ran on arrival; the stored data has version 1's fields and must read back
        Event payment = wire("""
                {"event_id":"p2v","event_type":"PaymentReceived","aggregate_id":"family-1","schema_version":2,
                 "event_timestamp":"2026-11-23T08:00:00Z","event_data":{"amount_cents":45000,"currency":"EUR"}}""");
        Event score = wire("""
                {"event_id":"s2v","event_type":"EngagementScoreUpdated","aggregate_id":"family-1","schema_version":2,
                 "event_timestamp":"2026-11-23T08:01:00Z","event_data":{"score":35}}""");

        FamilySnapshot decoded = roundTrip(snapshot(List.of(payment, score), AlertHistory.Resume.NONE, Instant.MIN));

        assertThat(decoded.events()).extracting(Event::eventId).containsExactly("p2v", "s2v");
        assertThat(decoded.events().get(0).amount()).contains(new java.math.BigDecimal("450.00"));
        assertThat(decoded.events().get(0).eventData()).isEqualTo(payment.eventData());
        assertThat(decoded.events().get(1).newScore()).contains(35);
        assertThat(decoded.events()).as("equal to the events the engine held, schema version 2 included")
                .containsExactly(payment, score);
    }

    @Test
    void shouldRoundTripSnapshotWhenEventsCarryDecimalsAndNestedData() {
        FamilySnapshot snapshot = new FamilySnapshot(FAMILY, mixedEvents(), 1_234_567_890_123L, T, carry(), Instant.MIN, null, new dev.pulse.rules.FamilyRulesState(FAMILY, Instant.MIN, List.of(), List.of()), null);

        FamilySnapshot decoded = roundTrip(snapshot);

        assertThat(decoded).isEqualTo(snapshot);
        for (int i = 0; i < snapshot.events().size(); i++) {
            assertThat(decoded.events().get(i)).as("event %s", i).usingRecursiveComparison().isEqualTo(snapshot.events().get(i));
        }
    }

    @Test
    void shouldRoundTripRiskRulesAboveThresholdAtTheFrozenHorizon() {
        FamilySnapshot snapshot = new FamilySnapshot(FAMILY, mixedEvents(), 6, T, carry(), T.minus(Duration.ofDays(29)), T,
                new dev.pulse.rules.FamilyRulesState(FAMILY, Instant.MIN, List.of(), List.of()), null,
                java.util.Set.of("risk_high", "risk_extreme"));

        assertThat(roundTrip(snapshot)).isEqualTo(snapshot);
    }

    @Test
    void shouldReadVersionFourHeadAsAboveNoRiskThreshold() {
        FamilySnapshot snapshot = snapshot(mixedEvents(), carry(), T.minus(Duration.ofDays(29)));
        byte[] five = codec.encodeHead(snapshot.head());
        // version 4 is version 5 without the risk rules at its end (an empty set: one int 0)
        byte[] four = java.util.Arrays.copyOf(five, five.length - Integer.BYTES);
        four[0] = 4;

        FamilySnapshot decoded = codec.decode(FAMILY, four, snapshot.events().stream().map(this::roundTrip).toList());

        assertThat(five[0]).isEqualTo((byte) 5);
        assertThat(decoded).isEqualTo(snapshot);
        assertThat(decoded.riskAbove()).isEmpty();
    }

    /** A carry as pruning leaves it: the walk just before the horizon, with the scores still in range there. */
    private static AlertHistory.Resume carry() {
        Event a = Events.score(FAMILY).at(T.minus(Duration.ofDays(40))).score(90).id("old-a").build();
        Event b = Events.score(FAMILY).at(T.minus(Duration.ofDays(39))).score(45).id("old-b").build();
        return new AlertHistory.Resume(T.minus(Duration.ofDays(36)).minusMillis(1), AlertLevel.CRITICAL, "change_7d -45 < -40",
                T.minus(Duration.ofDays(39)), 45, List.of(a, b), List.of());
    }

    @Test
    void shouldRoundTripCarryWhenItHoldsScoresInRange() {
        FamilySnapshot snapshot = snapshot(mixedEvents(), carry(), T.minus(Duration.ofDays(29)));

        FamilySnapshot decoded = roundTrip(snapshot);

        assertThat(decoded.carry()).isEqualTo(carry());
        assertThat(decoded.carry().inRange()).extracting(Event::eventId).containsExactly("old-a", "old-b");
        assertThat(decoded.frozenBefore()).isEqualTo(T.minus(Duration.ofDays(29)));
    }

    @Test
    void shouldKeepScaleOfAmountWhenDecimalEndsInZero() {
        FamilySnapshot decoded = roundTrip(snapshot(mixedEvents(), AlertHistory.Resume.NONE, Instant.MIN));

        BigDecimal amount = decoded.events().get(1).amount().orElseThrow();
        assertThat(amount.toPlainString()).isEqualTo("450.10");
        assertThat(amount.scale()).isEqualTo(2);
        assertThat(decoded.events().get(2).amount().orElseThrow().toPlainString()).isEqualTo("0.010");
    }

    @Test
    void shouldKeepJsonNumberTypesWhenEventDataIsDecoded() {
        FamilySnapshot decoded = roundTrip(snapshot(mixedEvents(), AlertHistory.Resume.NONE, Instant.MIN));

        Map<String, Object> data = decoded.events().get(4).eventData();
        assertThat(data.get("big")).isEqualTo(new BigInteger("12345678901234567890"));
        assertThat(((Number) data.get("long")).longValue()).isEqualTo(3_000_000_000L);
        assertThat(data).containsEntry("none", null).containsEntry("flag", false);
        assertThat(decoded.events().get(0).newScore()).contains(40);
        assertThat(decoded.events().get(2).eventTimestamp()).isEqualTo(Instant.parse("2026-11-22T09:10:00.123Z"));
        assertThat(decoded.events().get(4).schemaVersion()).isEqualTo(7);
        assertThat(decoded.events().get(5).eventData()).isEmpty();
    }

    @Test
    void shouldKeepInstantMinWhenFrozenBeforeIsUnset() {
        FamilySnapshot decoded = roundTrip(snapshot(mixedEvents(), AlertHistory.Resume.NONE, Instant.MIN));

        assertThat(decoded.frozenBefore()).isEqualTo(Instant.MIN);
    }

    @Test
    void shouldKeepFrozenBeforeWhenItIsSet() {
        Instant frozen = Instant.parse("2026-10-20T09:09:55.001Z");

        assertThat(roundTrip(snapshot(mixedEvents(), AlertHistory.Resume.NONE, frozen)).frozenBefore()).isEqualTo(frozen);
    }

    @Test
    void shouldRoundTripEmptyStateWhenFamilyHasNothingRetained() {
        FamilySnapshot empty = new FamilySnapshot(FAMILY, List.of(), 0, null, AlertHistory.Resume.NONE, Instant.MIN, null, new dev.pulse.rules.FamilyRulesState(FAMILY, Instant.MIN, List.of(), List.of()), null);

        FamilySnapshot decoded = roundTrip(empty);

        assertThat(decoded).isEqualTo(empty);
        assertThat(decoded.carry().at()).isEqualTo(Instant.MIN);
        assertThat(decoded.carry().reason()).isNull();
        assertThat(decoded.carry().since()).isNull();
        assertThat(decoded.carry().latestScore()).isNull();
        assertThat(decoded.lastEventTimestamp()).isNull();
    }

    @Test
    void shouldKeepZeroLatestScoreWhenCarryHasIt() {
        AlertHistory.Resume carry = new AlertHistory.Resume(T, AlertLevel.CRITICAL, "score 0 < 30", T, 0, List.of(), List.of());

        assertThat(roundTrip(snapshot(List.of(), carry, T)).carry()).isEqualTo(carry);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(AlertLevel.class)
    void shouldKeepCarriedLevelWhenEncoding(AlertLevel level) {
        int score = Map.of(AlertLevel.NONE, 100, AlertLevel.WATCH, 60, AlertLevel.WARNING, 40, AlertLevel.CRITICAL, 20).get(level);
        EngagementRules.Level holding = EngagementRules.DEFAULTS.levelOf(score, 0);
        assertThat(holding.level()).isEqualTo(level);
        AlertHistory.Resume carry = new AlertHistory.Resume(T.minusMillis(1), level, holding.reason(), T.minus(Duration.ofDays(2)),
                score, List.of(), List.of());

        assertThat(roundTrip(snapshot(mixedEvents(), carry, T)).carry()).isEqualTo(carry);
    }

    @Test
    void shouldRoundTripManyEventsWhenStateIsLarge() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            events.add(Events.score(FAMILY).at(T.minus(Duration.ofMinutes(2_000 - i))).score(i % 101).id("s" + i).build());
        }
        FamilySnapshot snapshot = snapshot(events, AlertHistory.Resume.NONE, Instant.MIN);

        assertThat(roundTrip(snapshot)).isEqualTo(snapshot);
    }

    @Test
    void shouldRefuseStateWhenEncodingVersionDiffers() {
        byte[] encoded = codec.encodeHead(snapshot(mixedEvents(), AlertHistory.Resume.NONE, Instant.MIN).head());
        encoded[0] = (byte) (encoded[0] + 1);

        assertThatThrownBy(() -> codec.decode(FAMILY, encoded, List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(FAMILY)
                .hasMessageContaining("version");
    }

    static Stream<Arguments> truncations() {
        return Stream.of(
                arguments("nothing", (ToIntFunction<byte[]>) encoded -> 0),
                arguments("inside the header", (ToIntFunction<byte[]>) encoded -> 5),
                arguments("a third", (ToIntFunction<byte[]>) encoded -> encoded.length / 3),
                arguments("a half", (ToIntFunction<byte[]>) encoded -> encoded.length / 2),
                arguments("inside the last event", (ToIntFunction<byte[]>) encoded -> encoded.length - 3),
                arguments("the last byte", (ToIntFunction<byte[]>) encoded -> encoded.length - 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("truncations")
    void shouldFailAsCorruptStateOfFamilyWhenStateIsTruncated(String where, ToIntFunction<byte[]> cut) {
        byte[] encoded = codec.encodeHead(snapshot(mixedEvents(), carry(), Instant.MIN).head());
        byte[] truncated = Arrays.copyOf(encoded, cut.applyAsInt(encoded));

        // an end of input or a length that overruns the state: either way, named as corrupt state of the family
        assertThatThrownBy(() -> codec.decode(FAMILY, truncated, List.of()))
                .isInstanceOfAny(UncheckedIOException.class, IllegalStateException.class)
                .hasMessageContaining("corrupt state of family " + FAMILY);
    }

    @Test
    void shouldRestoreSameMetricsWithoutDuplicateDetectionsWhenSnapshotPassesThroughCodec() {
        PartitionEngine original = PartitionEngine.fresh(EngineSettings.defaults(), InstantSource.fixed(Instant.EPOCH));
        int[] scores = {80, 60, 45, 25};                                  // watch, warning, critical: three rises
        for (int d = 0; d < scores.length; d++) {
            original.apply(List.of(Events.score(FAMILY).at(T.plus(Duration.ofDays(d))).score(scores[d]).id("s" + d).build()));
        }
        original.apply(List.of(Events.payment(FAMILY).at(T.plus(Duration.ofDays(3)).plusSeconds(1)).amount("450.10").id("p").build()));
        PartitionEngine restored = new PartitionEngine(EngineSettings.defaults(), original.streamTime(), original.watermark(),
                InstantSource.fixed(Instant.EPOCH));

        restored.restore(roundTrip(original.snapshot(FAMILY)));
        Event next = Events.login(FAMILY).at(T.plus(Duration.ofDays(3)).plusSeconds(2)).id("l").build();
        EngineOutput expected = original.apply(List.of(next));
        EngineOutput actual = restored.apply(List.of(next));

        assertThat(actual.detections()).isEmpty();
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.metrics().get(0).alertLevel()).isEqualTo(AlertLevel.CRITICAL);
        assertThat(restored.snapshot(FAMILY)).isEqualTo(original.snapshot(FAMILY));
    }

    // --- the retained events' rows ------------------------------------------------------------------

    /** Every kind of value the JSON reader, the upcasters or a test fixture can put into event data. */
    private static Map<String, Object> everyKindOfValue() {
        Map<String, Object> nested = new java.util.LinkedHashMap<>();
        nested.put("list", new ArrayList<>(Arrays.asList(1, 2L, new BigDecimal("2.50"), "x", null, true, List.of())));
        nested.put("empty", Map.of());
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("int", 42);
        data.put("negative_int", Integer.MIN_VALUE);
        data.put("long", Long.MAX_VALUE);
        data.put("negative_long", -3_000_000_000L);
        data.put("short", (short) -7);
        data.put("byte", (byte) 5);
        data.put("double", 0.1);
        data.put("float", 1.5f);
        data.put("big_integer", new BigInteger("-123456789012345678901234567890"));
        data.put("decimal", new BigDecimal("450.10"));
        data.put("negative_scale", new BigDecimal("1E+3"));
        data.put("big_decimal", new BigDecimal("-98765432109876543210.000000000001"));
        data.put("true", true);
        data.put("false", false);
        data.put("null", null);
        data.put("empty_string", "");
        data.put("unicode", "ünïcødé ✓ \uD83D\uDE00 \u0000");
        data.put("unpaired_surrogate", "a\uD800b");
        data.put("long_string", "x".repeat(70_000) + "✓");
        data.put("nested", nested);
        return data;
    }

    @Test
    void shouldKeepEveryValueAndItsJavaTypeWhenEventPassesThroughItsRow() {
        Event event = new Event("ïd-1", "Custom.Thing_2", FAMILY, T.plusMillis(123), 9, everyKindOfValue());

        Event decoded = roundTrip(event);

        assertThat(decoded).isEqualTo(event);
        assertSameTypes(decoded.eventData(), event.eventData(), "event_data");
    }

    private static void assertSameTypes(Object actual, Object expected, String path) {
        if (expected == null) {
            assertThat(actual).as(path).isNull();
            return;
        }
        assertThat(actual).as(path).isInstanceOf(expected instanceof Map ? Map.class : expected instanceof List ? List.class
                : expected.getClass());
        if (expected instanceof BigDecimal d) {
            assertThat(((BigDecimal) actual).scale()).as(path + " scale").isEqualTo(d.scale());
        } else if (expected instanceof Map<?, ?> map) {
            assertThat(List.<Object>copyOf(((Map<?, ?>) actual).keySet())).as(path + " keys in order")
                    .containsExactlyElementsOf(List.<Object>copyOf(map.keySet()));
            map.forEach((k, v) -> assertSameTypes(((Map<?, ?>) actual).get(k), v, path + "." + k));
        } else if (expected instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                assertSameTypes(((List<?>) actual).get(i), list.get(i), path + "[" + i + "]");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(dev.pulse.event.EventType.class)
    void shouldKeepKnownTypeWhenEventPassesThroughItsRow(dev.pulse.event.EventType type) {
        Event event = new Event("e-" + type, type.wireName(), FAMILY, T, 1, Map.of("new_score", 40, "amount", new BigDecimal("1.00")));

        Event decoded = roundTrip(event);

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.is(type)).isTrue();
    }

    @Test
    void shouldKeepCarriedScoresWhenTheyHoldEveryKindOfValue() {
        Event score = new Event("s-any", "EngagementScoreUpdated", FAMILY, T, 1,
                Map.of("new_score", 40, "extra", everyKindOfValue()));
        AlertHistory.Resume carry = new AlertHistory.Resume(T, AlertLevel.WATCH, "score 40 < 70", T, 40, List.of(score), List.of(40));

        FamilySnapshot decoded = roundTrip(snapshot(List.of(), carry, T));

        assertThat(decoded.carry()).isEqualTo(carry);
        assertSameTypes(decoded.carry().inRange().get(0).eventData(), score.eventData(), "carry");
    }

    @Test
    void shouldRefuseEventWhenItsTimeIsFinerThanMilliseconds() {
        Event event = new Event("fine", "UserLogin", FAMILY, T.plusNanos(1), 1, Map.of());

        assertThatThrownBy(() -> StoredEventCodec.millis(event))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fine");
    }

    @Test
    void shouldRefuseRowWhenItsEncodingVersionDiffers() {
        byte[] body = codec.encodeEvent(mixedEvents().get(1));
        body[0] = (byte) (body[0] + 1);

        assertThatThrownBy(() -> codec.decodeEvent(FAMILY, "p1", T.toEpochMilli(), body))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("p1")
                .hasMessageContaining("version");
    }

    static Stream<Arguments> rowCuts() {
        Event event = new Event("cut", "Custom.Thing", FAMILY, T, 3, Map.of("amount", new BigDecimal("12.50"), "nested",
                Map.of("list", List.of("a", 1L))));
        byte[] body = new StoredEventCodec().body(event);
        return java.util.stream.IntStream.range(0, body.length).mapToObj(n -> arguments(n, Arrays.copyOf(body, n)));
    }

    @ParameterizedTest(name = "first {0} bytes")
    @MethodSource("rowCuts")
    void shouldFailAsCorruptRetainedEventWhenItsRowIsTruncated(int length, byte[] truncated) {
        assertThatThrownBy(() -> codec.decodeEvent(FAMILY, "cut", T.toEpochMilli(), truncated))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("corrupt retained event cut of family " + FAMILY);
    }

    @Test
    void shouldEncodeHeadOfTheSameSizeWhenTheFamilyRetainsFarMoreEvents() {
        // What a checkpoint rewrites for a family must not grow with its history (the events are rows of their own).
        int few = headBytesAfterLogins(10);
        int many = headBytesAfterLogins(2_000);

        assertThat(many).isEqualTo(few);
        assertThat(many).isLessThan(512);
    }

    private int headBytesAfterLogins(int count) {
        PartitionEngine engine = PartitionEngine.fresh(EngineSettings.defaults(), InstantSource.fixed(Instant.EPOCH));
        List<Event> logins = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            logins.add(Events.login(FAMILY).at(T.minus(Duration.ofMinutes(count - i))).id(String.format("l%05d", i)).build());
        }
        engine.apply(logins);
        return codec.encodeHead(engine.head(FAMILY)).length;
    }

    // --- state stored by an earlier Pulse (encoding version 3) -------------------------------------

    @Test
    void shouldReadWholeSnapshotWhenStateWasStoredWithItsEventsByAnEarlierPulse() {
        FamilySnapshot snapshot = snapshot(mixedEvents(), carry(), T.minus(Duration.ofDays(29)));
        byte[] old = VersionThreeState.encode(snapshot, json);

        assertThat(FamilySnapshotCodec.holdsEvents(old)).isTrue();
        assertThat(FamilySnapshotCodec.holdsEvents(codec.encodeHead(snapshot.head()))).isFalse();
        assertThat(codec.decode(FAMILY, old, List.of())).isEqualTo(snapshot);
    }

    @Test
    void shouldRefuseStateWhenItHoldsItsEventsAndMoreAreStoredApart() {
        byte[] old = VersionThreeState.encode(snapshot(mixedEvents(), carry(), Instant.MIN), json);

        assertThatThrownBy(() -> codec.decode(FAMILY, old, List.of(mixedEvents().get(0))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(FAMILY);
    }
}
