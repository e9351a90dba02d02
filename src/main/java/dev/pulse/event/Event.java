package dev.pulse.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One validated family event (SPEC §1.1). Built only by {@link EventValidator}, so every instance
 * satisfies the wire rules; {@code eventData} holds plain JSON values (String, Long, BigInteger,
 * BigDecimal, Boolean, null, List, Map).
 */
public record Event(String eventId,
                    String eventType,
                    String aggregateId,
                    Instant eventTimestamp,
                    int schemaVersion,
                    Map<String, Object> eventData) {

    /** Total order of SPEC §7: event time, ties broken by event id. */
    public static final java.util.Comparator<Event> EVENT_TIME_ORDER =
            java.util.Comparator.comparing(Event::eventTimestamp).thenComparing(Event::eventId);

    public Event {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(eventTimestamp, "eventTimestamp");
        // JSON objects may hold null values, which Map.copyOf refuses.
        eventData = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(eventData, "eventData")));
    }

    public boolean is(EventType type) {
        return type.wireName().equals(eventType);
    }

    /** {@code new_score} of an {@code EngagementScoreUpdated}; validated to be 0..100. */
    public Optional<Integer> newScore() {
        return is(EventType.ENGAGEMENT_SCORE_UPDATED)
                ? Optional.of(((Number) eventData.get("new_score")).intValue())
                : Optional.empty();
    }

    /** {@code amount} of a {@code PaymentReceived}; validated to be a number > 0. */
    public Optional<BigDecimal> amount() {
        return is(EventType.PAYMENT_RECEIVED)
                ? Optional.of(JsonValues.decimal(eventData.get("amount")))
                : Optional.empty();
    }
}
