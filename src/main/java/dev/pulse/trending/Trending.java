package dev.pulse.trending;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What is trending in one closed sliding window {@code [windowStart, windowEnd)} over every family (SPEC §3.5):
 * the families with the most events, and the event types whose count rose most against the window one size
 * earlier, {@code [windowStart − size, windowStart)}.
 *
 * @param size the window's configuration shorthand, {@code 1h/5m}
 */
public record Trending(String size, Instant windowStart, Instant windowEnd, List<FamilyCount> families, List<TypeRise> eventTypes) {

    public Trending {
        families = List.copyOf(families);
        eventTypes = List.copyOf(eventTypes);
    }

    public record FamilyCount(String familyId, long eventCount) {
    }

    /**
     * @param ratio {@code count / previousCount} to three decimals, or null when the type did not occur in the
     *              previous window (new: it ranks above every finite ratio)
     */
    public record TypeRise(String eventType, long count, long previousCount, BigDecimal ratio) {
    }
}
