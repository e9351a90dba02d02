package dev.pulse.projection;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A {@code realtime_event_counters} row as {@code GET /api/families/{id}/counters} shows it (SPEC §3.2, §7):
 * field names become snake_case on the wire. {@code size} is the configuration shorthand ({@code 1m},
 * {@code 1h/5m}, a session's gap {@code 30m}, {@code 5/1}); value aggregates are null for session rows and
 * for types without a numeric value. The window is {@code [window_start, window_end)}.
 */
public record CounterRowView(String familyId,
                             String eventType,
                             String windowType,
                             String size,
                             Instant windowStart,
                             Instant windowEnd,
                             long eventCount,
                             BigDecimal sumValue,
                             BigDecimal avgValue,
                             BigDecimal minValue,
                             BigDecimal maxValue,
                             // spelled out: a boolean named isX could otherwise be read as the property "final"
                             @JsonProperty("is_final") boolean isFinal,
                             Instant updatedAt) {
}
