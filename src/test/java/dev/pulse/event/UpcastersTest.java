package dev.pulse.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC §3.6: version 2 of payments and scores, read as version 1; other versions refused by name. */
class UpcastersTest {

    private final EventValidator validator = new EventValidator();

    @Test
    void shouldReadPaymentV2AmountCentsAsAnAmountWithTwoDecimals() {
        Event v2 = accepted(Events.payment("family-1").withoutData("amount").data("amount_cents", 45_000L).version(2L).raw());

        assertThat(v2.amount()).contains(new BigDecimal("450.00"));
        assertThat(v2.eventData()).doesNotContainKey("amount_cents").containsEntry("currency", "EUR");
        assertThat(v2.schemaVersion()).isEqualTo(2);
    }

    @Test
    void shouldReadOneCentAsZeroPointZeroOne() {
        Event v2 = accepted(Events.payment("family-1").withoutData("amount").data("amount_cents", 1L).version(2L).raw());

        assertThat(v2.amount()).contains(new BigDecimal("0.01"));
    }

    @Test
    void shouldReadScoreV2ScoreAsNewScore() {
        Event v2 = accepted(Events.score("family-1").withoutData("new_score").data("score", 30L).data("old_score", 55L)
                .version(2L).raw());

        assertThat(v2.newScore()).contains(30);
        assertThat(v2.eventData()).doesNotContainKey("score").containsEntry("old_score", 55L);
    }

    @Test
    void shouldGiveTheSameEventAsItsVersionOneTwin() {
        Event v1 = accepted(Events.payment("family-1").id("p1").amount("450.00").raw());
        Event v2 = accepted(Events.payment("family-1").id("p1").withoutData("amount").data("amount_cents", 45_000L).version(2L).raw());

        assertThat(v2.eventData()).isEqualTo(v1.eventData());
        assertThat(List.of(v2.eventId(), v2.eventType(), v2.aggregateId(), v2.eventTimestamp(), v2.amount()))
                .isEqualTo(List.of(v1.eventId(), v1.eventType(), v1.aggregateId(), v1.eventTimestamp(), v1.amount()));
    }

    static Stream<Arguments> invalidVersionTwoData() {
        return Stream.of(
                arguments("PaymentReceived", "amount_cents", null, "event_data.amount_cents", "is required for PaymentReceived version 2"),
                arguments("PaymentReceived", "amount_cents", "450", "event_data.amount_cents", "must be an integer, was a string"),
                arguments("PaymentReceived", "amount_cents", new BigDecimal("450.5"), "event_data.amount_cents", "must be an integer"),
                arguments("PaymentReceived", "amount_cents", 0L, "event_data.amount_cents", "must be > 0, was 0"),
                arguments("PaymentReceived", "amount_cents", -5L, "event_data.amount_cents", "must be > 0, was -5"),
                arguments("EngagementScoreUpdated", "score", null, "event_data.score", "is required"),
                arguments("EngagementScoreUpdated", "score", 101L, "event_data.score", "must be an integer 0..100, was 101"),
                arguments("EngagementScoreUpdated", "score", "50", "event_data.score", "must be an integer 0..100, was a string"));
    }

    @ParameterizedTest(name = "{0} v2 {1}={2}")
    @MethodSource("invalidVersionTwoData")
    void shouldRejectVersionTwoDataNamingItsOwnField(String type, String field, Object value, String rejectedField, String rule) {
        Events.Builder event = type.equals("PaymentReceived")
                ? Events.payment("family-1").withoutData("amount")
                : Events.score("family-1").withoutData("new_score");
        if (value != null) {
            event.data(field, value);
        }

        Rejection rejection = rejected(event.version(2L).raw());

        assertThat(rejection.field()).isEqualTo(rejectedField);
        assertThat(rejection.rule()).contains(rule);
    }

    @Test
    void shouldNotReadAVersionOneFieldInAVersionTwoRecord() {
        // v2 replaced amount by amount_cents: a v2 record with only amount is missing its amount
        Rejection rejection = rejected(Events.payment("family-1").version(2L).raw());

        assertThat(rejection.message()).isEqualTo("event_data.amount_cents: is required for PaymentReceived version 2");
    }

    @Test
    void shouldRejectVersionThreeNamingTypeAndSupportedRange() {
        Rejection rejection = rejected(Events.payment("family-1").version(3L).raw());

        assertThat(rejection.message()).isEqualTo("schema_version: version 3 of PaymentReceived is not supported (supported: 1..2)");
    }

    @Test
    void shouldRefuseARegistryWithAGapADuplicateOrAVersionOne() {
        Upcaster v3 = upcaster(EventType.PAYMENT_RECEIVED, 3);
        Upcaster v1 = upcaster(EventType.USER_LOGIN, 1);

        assertThatThrownBy(() -> new Upcasters(List.of(v3))).hasMessageContaining("must cover versions 2..3 without gaps");
        assertThatThrownBy(() -> new Upcasters(List.of(new PaymentReceivedV2(), new PaymentReceivedV2())))
                .hasMessageContaining("two upcasters for PaymentReceived version 2");
        assertThatThrownBy(() -> new Upcasters(List.of(v1))).hasMessageContaining("version 1 is the internal form");
    }

    @Test
    void shouldReadEveryVersionOfAChainDownToOne() {
        Upcaster v3 = upcaster(EventType.PAYMENT_RECEIVED, 3);
        Upcasters chain = new Upcasters(List.of(new PaymentReceivedV2(), v3));

        Map<String, Object> one = chain.toVersionOne(EventType.PAYMENT_RECEIVED, 3, Map.of("cents", 250L));

        assertThat(chain.maxVersion(EventType.PAYMENT_RECEIVED)).isEqualTo(3);
        assertThat(chain.maxVersion(EventType.USER_LOGIN)).isEqualTo(1);
        assertThat(one).containsEntry("amount", new BigDecimal("2.50"));
    }

    /** A version-3 reader for the chain tests: {@code cents} → {@code amount_cents}. */
    private static Upcaster upcaster(EventType type, int version) {
        return new Upcaster() {
            @Override
            public EventType type() {
                return type;
            }

            @Override
            public int version() {
                return version;
            }

            @Override
            public Map<String, Object> toPrevious(Map<String, Object> data) {
                return Map.of("amount_cents", data.get("cents"));
            }
        };
    }

    private Event accepted(Map<String, Object> raw) {
        Validated validated = validator.validate(raw);
        assertThat(validated).as("%s", raw).isInstanceOf(Validated.Valid.class);
        return ((Validated.Valid) validated).event();
    }

    private Rejection rejected(Map<String, Object> raw) {
        Validated validated = validator.validate(raw);
        assertThat(validated).as("%s", raw).isInstanceOf(Validated.Invalid.class);
        return ((Validated.Invalid) validated).rejection();
    }
}
