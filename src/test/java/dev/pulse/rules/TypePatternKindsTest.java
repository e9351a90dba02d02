package dev.pulse.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Event;
import dev.pulse.event.EventType;
import dev.pulse.event.Events;
import dev.pulse.stream.operator.FamilyTimeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kinds a rule's type pattern can match, which the trailing-window matchers use to pass over a window's events
 * of other types without reading them: never narrower than the pattern itself.
 */
class TypePatternKindsTest {

    private static long bit(EventType type) {
        return 1L << FamilyTimeline.kindOf(type);
    }

    private static final long OTHER = 1L << FamilyTimeline.OTHER_KIND;

    @Test
    void shouldAdmitOnlyThatKindWhenPatternNamesOneKnownType() {
        assertThat(TypePattern.of("PaymentReceived").kinds()).isEqualTo(bit(EventType.PAYMENT_RECEIVED));
    }

    @Test
    void shouldAdmitOnlyTypesPulseDoesNotKnowWhenPatternNamesAnUnknownType() {
        assertThat(TypePattern.of("GiftCardRedeemed").kinds()).isEqualTo(OTHER);
    }

    @Test
    void shouldAdmitMatchingKnownTypesAndUnknownOnesWhenPatternIsAPrefix() {
        assertThat(TypePattern.of("Payment*").kinds())
                .isEqualTo(bit(EventType.PAYMENT_RECEIVED) | bit(EventType.PAYMENT_OVERDUE) | OTHER);
        long every = OTHER;
        for (EventType type : EventType.values()) {
            every |= bit(type);
        }
        assertThat(TypePattern.of("*").kinds()).isEqualTo(every);
    }

    @Test
    void shouldNeverRefuseAKindOfATypeThePatternMatches() {
        List<String> names = new ArrayList<>(List.of("GiftCardRedeemed", "Payment", "PaymentRefunded", "Email", "E", ""));
        for (EventType type : EventType.values()) {
            names.add(type.wireName());
        }
        List<String> patterns = new ArrayList<>(List.of("*", "E*", "Email*", "Payment*", "PaymentReceived*", "P*", "Gift*",
                "GiftCardRedeemed", "Nothing*"));
        for (EventType type : EventType.values()) {
            patterns.add(type.wireName());
        }
        for (String text : patterns) {
            TypePattern pattern = TypePattern.of(text);
            for (String name : names) {
                int kind = EventType.fromWireName(name).map(FamilyTimeline::kindOf).orElse(FamilyTimeline.OTHER_KIND);
                if (pattern.matches(name)) {
                    assertThat(pattern.kinds() >>> kind & 1).as("%s matches %s", text, name).isEqualTo(1L);
                }
            }
        }
    }

    @Test
    void shouldAskThePredicateOnlyAboutEventsOfTheFilteredKindsWhenWalkingANeighbourhood() {
        FamilyTimeline timeline = new FamilyTimeline("f");
        List<Event> payments = new ArrayList<>();
        for (int minute = 0; minute < 10; minute++) {
            String at = String.format("09:%02d:00Z", minute);
            timeline.add(Events.login("f").id("l-" + minute).at(at).build());
            timeline.add(Events.of("GiftCardRedeemed", "f").id("g-" + minute).at(at).build());
            if (minute % 3 == 0) {
                Event payment = Events.payment("f").id("p-" + minute).at(at).amount("10.00").build();
                timeline.add(payment);
                payments.add(payment);
            }
        }
        EventFilter filter = EventFilter.ofType("PaymentReceived");
        Event anchor = payments.get(2);
        List<Event> asked = new ArrayList<>();

        List<Event> found = Neighbourhood.around(timeline, anchor, Instant.parse("2026-11-23T09:00:00Z"),
                anchor.eventTimestamp(), filter.kinds(), e -> asked.add(e) && filter.test(e));

        assertThat(found).containsExactlyElementsOf(payments.subList(0, 3));
        assertThat(asked).allSatisfy(e -> assertThat(e.eventType()).isEqualTo("PaymentReceived"));
    }
}
