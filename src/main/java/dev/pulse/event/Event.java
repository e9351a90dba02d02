package dev.pulse.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One validated family event (SPEC §1.1). Built only by {@link EventValidator}, so every instance
 * satisfies the wire rules; {@code eventData} holds plain JSON values (String, Long, BigInteger,
 * BigDecimal, Boolean, null, List, Map).
 * <p>
 * A value class with a record's accessors, equality and text. It is not a record because every operator
 * asks for the type, the score and the amount of the same event many times: those are derived once and
 * kept, which a record cannot do.
 */
public final class Event {

    /** Total order of SPEC §7: event time, ties broken by event id. */
    public static final Comparator<Event> EVENT_TIME_ORDER = (a, b) -> {
        int byTime = a.eventTimestamp.compareTo(b.eventTimestamp);
        return byTime != 0 ? byTime : a.eventId.compareTo(b.eventId);
    };

    private final String eventId;
    private final String eventType;
    private final String aggregateId;
    private final Instant eventTimestamp;
    private final int schemaVersion;
    private final Map<String, Object> eventData;
    /** The known type, or null for a type Pulse only counts. */
    private final EventType knownType;
    // Derived on first use: a test may build an event of a known type without its data.
    private Optional<Integer> newScore;
    private Optional<BigDecimal> amount;

    public Event(String eventId, String eventType, String aggregateId, Instant eventTimestamp, int schemaVersion,
                 Map<String, Object> eventData) {
        this.eventId = Objects.requireNonNull(eventId, "eventId");
        this.knownType = EventType.fromWireName(Objects.requireNonNull(eventType, "eventType")).orElse(null);
        // One shared string per known type: rules compare types on every event, and equal instances compare at once.
        this.eventType = knownType != null ? knownType.wireName() : eventType;
        this.aggregateId = Objects.requireNonNull(aggregateId, "aggregateId");
        this.eventTimestamp = Objects.requireNonNull(eventTimestamp, "eventTimestamp");
        this.schemaVersion = schemaVersion;
        // JSON objects may hold null values, which Map.copyOf refuses.
        this.eventData = Objects.requireNonNull(eventData, "eventData").isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(eventData));
    }

    public String eventId() {
        return eventId;
    }

    public String eventType() {
        return eventType;
    }

    public String aggregateId() {
        return aggregateId;
    }

    public Instant eventTimestamp() {
        return eventTimestamp;
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    public Map<String, Object> eventData() {
        return eventData;
    }

    public boolean is(EventType type) {
        return knownType == type;
    }

    /** {@code new_score} of an {@code EngagementScoreUpdated}; validated to be 0..100. */
    public Optional<Integer> newScore() {
        if (newScore == null) {
            newScore = is(EventType.ENGAGEMENT_SCORE_UPDATED)
                    ? Optional.of(((Number) eventData.get("new_score")).intValue())
                    : Optional.empty();
        }
        return newScore;
    }

    /** {@code amount} of a {@code PaymentReceived}; validated to be a number > 0. */
    public Optional<BigDecimal> amount() {
        if (amount == null) {
            amount = is(EventType.PAYMENT_RECEIVED)
                    ? Optional.of(JsonValues.decimal(eventData.get("amount")))
                    : Optional.empty();
        }
        return amount;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event other
                && schemaVersion == other.schemaVersion
                && eventId.equals(other.eventId)
                && eventType.equals(other.eventType)
                && aggregateId.equals(other.aggregateId)
                && eventTimestamp.equals(other.eventTimestamp)
                && eventData.equals(other.eventData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, eventType, aggregateId, eventTimestamp, schemaVersion, eventData);
    }

    @Override
    public String toString() {
        return "Event[eventId=" + eventId + ", eventType=" + eventType + ", aggregateId=" + aggregateId
                + ", eventTimestamp=" + eventTimestamp + ", schemaVersion=" + schemaVersion + ", eventData=" + eventData + "]";
    }
}
