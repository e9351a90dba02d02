package dev.pulse.stream.window;

import dev.pulse.event.Decimals;
import dev.pulse.event.Event;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A counter row's aggregates (SPEC §3.2): {@code event_count}, and over the events' numeric value
 * ({@code amount} of {@code PaymentReceived}, {@code new_score} of {@code EngagementScoreUpdated})
 * {@code sum}, {@code min}, {@code max} and {@link #avg()}. Immutable.
 * <p>
 * Value aggregates are all null when the counted events have no numeric value (other event types,
 * session rows). A row's events share one event type, and a type either always has a value or never
 * (the validator requires it), so a valued aggregate has a value for each of its events.
 * <p>
 * Arithmetic is exact ({@link BigDecimal}); the sum keeps the largest scale of its terms. Between
 * numerically equal values ({@code 450.0}, {@code 450.00}) min and max keep the one with the larger
 * scale, so the result does not depend on arrival order.
 */
public record Aggregate(long eventCount, BigDecimal sum, BigDecimal min, BigDecimal max) {

    /** {@link #avg()} has 4 decimal places, rounded half-even (the least biased rounding for averages). */
    public static final int AVG_SCALE = 4;

    public Aggregate {
        check(eventCount, sum, min, max);
    }

    /** The rules of an aggregate's fields, for whoever holds them ({@link CounterRow} holds them flat). */
    static void check(long eventCount, BigDecimal sum, BigDecimal min, BigDecimal max) {
        if (eventCount < 1) {
            throw new IllegalArgumentException("eventCount must be >= 1, was " + eventCount);
        }
        boolean anyValue = sum != null || min != null || max != null;
        if (anyValue && (sum == null || min == null || max == null)) {
            throw new IllegalArgumentException("sum, min and max must be all present or all null, was "
                    + sum + ", " + min + ", " + max);
        }
        // One object (most rows hold one event) is not compared with itself: that would read a value likely out of cache.
        if (anyValue && min != max && min.compareTo(max) > 0) {
            throw new IllegalArgumentException("min must be <= max, was " + min + " > " + max);
        }
    }

    /** {@code eventCount} events without values (session rows). */
    public static Aggregate countOnly(long eventCount) {
        return new Aggregate(eventCount, null, null, null);
    }

    /** One event with {@code value}, or without one when {@code value} is null. */
    public static Aggregate of(BigDecimal value) {
        return new Aggregate(1, value, value, value);
    }

    /** The numeric value an event adds to counters: {@code amount}, {@code new_score}, or null. */
    public static BigDecimal valueOf(Event event) {
        if (event.amount().isPresent()) {
            return event.amount().get();
        }
        if (event.newScore().isEmpty()) {
            return null;
        }
        return Decimals.whole(event.newScore().get()); // scores are 0..100 (SPEC §1.1): shared values
    }

    /** This aggregate with one more event of {@code value} (null: an event without a value). */
    public Aggregate plus(BigDecimal value) {
        return plus(of(value));
    }

    /** The aggregate of both sets of events. */
    public Aggregate plus(Aggregate other) {
        if (hasValues() != other.hasValues()) {
            throw new IllegalArgumentException("cannot combine aggregates with and without values: " + this + " + " + other);
        }
        long count = Math.addExact(eventCount, other.eventCount);
        if (!hasValues()) {
            return countOnly(count);
        }
        return new Aggregate(count, sum.add(other.sum), lower(min, other.min), higher(max, other.max));
    }

    public boolean hasValues() {
        return sum != null;
    }

    /** {@code sum / eventCount} with {@value #AVG_SCALE} decimal places, half-even; null without values. */
    public BigDecimal avg() {
        return avg(eventCount, sum);
    }

    static BigDecimal avg(long eventCount, BigDecimal sum) {
        return sum != null ? sum.divide(BigDecimal.valueOf(eventCount), AVG_SCALE, RoundingMode.HALF_EVEN) : null;
    }

    /** The min of two values: the lesser, or between equal ones the one with the larger scale. */
    static BigDecimal lower(BigDecimal a, BigDecimal b) {
        int c = a.compareTo(b);
        return c < 0 || (c == 0 && a.scale() >= b.scale()) ? a : b;
    }

    /** The max of two values: the greater, or between equal ones the one with the larger scale. */
    static BigDecimal higher(BigDecimal a, BigDecimal b) {
        int c = a.compareTo(b);
        return c > 0 || (c == 0 && a.scale() >= b.scale()) ? a : b;
    }
}
