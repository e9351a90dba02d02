package dev.pulse.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
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
    /** The known {@link EventType}, or the wire name of a type Pulse only counts: one field for both saves 8 bytes an event. */
    private final Object type;
    /** Not final only so that {@link #shareAggregateId} can swap it for an equal, shared string. */
    private String aggregateId;
    private final Instant eventTimestamp;
    private final int schemaVersion;
    private final Map<String, Object> eventData;
    /**
     * The {@link #newScore} of a score event or the {@link #amount} of a payment, derived on first use (a test may
     * build an event of a known type without its data). One field for both: an event is only ever one of them.
     */
    private Optional<?> derived;
    /** A score is 0..100 (validated): its {@code Optional}s are shared rather than held by every event. */
    private static final Optional<?>[] SCORES = new Optional<?>[101];

    static {
        for (int i = 0; i < SCORES.length; i++) {
            SCORES[i] = Optional.of(i);
        }
    }

    public Event(String eventId, String eventType, String aggregateId, Instant eventTimestamp, int schemaVersion,
                 Map<String, Object> eventData) {
        this.eventId = Objects.requireNonNull(eventId, "eventId");
        EventType known = EventType.fromWireName(Objects.requireNonNull(eventType, "eventType")).orElse(null);
        // A known type answers its one shared wire name: rules compare types on every event, and equal instances compare at once.
        this.type = known != null ? known : eventType;
        this.aggregateId = Objects.requireNonNull(aggregateId, "aggregateId");
        this.eventTimestamp = Objects.requireNonNull(eventTimestamp, "eventTimestamp");
        this.schemaVersion = schemaVersion;
        this.eventData = CompactMap.copyOf(Objects.requireNonNull(eventData, "eventData"));
    }

    public String eventId() {
        return eventId;
    }

    public String eventType() {
        return type instanceof EventType known ? known.wireName() : (String) type;
    }

    public String aggregateId() {
        return aggregateId;
    }

    /**
     * Makes this event hold {@code sameId}, a string equal to its aggregate id, instead of its own copy. Each parsed
     * record brings its own copy of the family id; an engine that keeps a family's events for days points them all
     * at the one it keys the family by (issue 7: 50 bytes an event, a million families in 2 GiB). Nothing an event
     * answers changes, so a reader on another thread sees an equal value whichever string it reads.
     */
    public void shareAggregateId(String sameId) {
        if (sameId != aggregateId) {
            if (!sameId.equals(aggregateId)) {
                throw new IllegalArgumentException("event " + eventId + " belongs to " + aggregateId + ", not " + sameId);
            }
            aggregateId = sameId;
        }
    }

    public Instant eventTimestamp() {
        return eventTimestamp;
    }

    /** The event time in epoch milliseconds, rounded down: exact for a validated event (SPEC §7 truncates to ms). */
    public long eventMillis() {
        return eventTimestamp.getEpochSecond() * 1000 + eventTimestamp.getNano() / 1_000_000;
    }

    /** Whether the event time is a whole millisecond, as every validated event's is. */
    public boolean isWholeMillisecond() {
        return eventTimestamp.getNano() % 1_000_000 == 0;
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    public Map<String, Object> eventData() {
        return eventData;
    }

    public boolean is(EventType type) {
        return this.type == type;
    }

    /** {@code new_score} of an {@code EngagementScoreUpdated}; validated to be 0..100. */
    @SuppressWarnings("unchecked")
    public Optional<Integer> newScore() {
        if (type != EventType.ENGAGEMENT_SCORE_UPDATED) {
            return Optional.empty();
        }
        Optional<?> score = derived;
        if (score == null) {
            int value = ((Number) eventData.get("new_score")).intValue();
            score = value >= 0 && value < SCORES.length ? SCORES[value] : Optional.of(value);
            derived = score;
        }
        return (Optional<Integer>) score;
    }

    /** {@code amount} of a {@code PaymentReceived}; validated to be a number > 0. */
    @SuppressWarnings("unchecked")
    public Optional<BigDecimal> amount() {
        if (type != EventType.PAYMENT_RECEIVED) {
            return Optional.empty();
        }
        Optional<?> amount = derived;
        if (amount == null) {
            amount = Optional.of(JsonValues.decimal(eventData.get("amount")));
            derived = amount;
        }
        return (Optional<BigDecimal>) amount;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event other
                && schemaVersion == other.schemaVersion
                && eventId.equals(other.eventId)
                && type.equals(other.type)
                && aggregateId.equals(other.aggregateId)
                && eventTimestamp.equals(other.eventTimestamp)
                && eventData.equals(other.eventData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, eventType(), aggregateId, eventTimestamp, schemaVersion, eventData);
    }

    @Override
    public String toString() {
        return "Event[eventId=" + eventId + ", eventType=" + eventType() + ", aggregateId=" + aggregateId
                + ", eventTimestamp=" + eventTimestamp + ", schemaVersion=" + schemaVersion + ", eventData=" + eventData + "]";
    }
}
