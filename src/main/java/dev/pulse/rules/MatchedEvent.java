package dev.pulse.rules;

import dev.pulse.event.Decimals;
import dev.pulse.event.Event;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;

/** An event a detection matched, with the key fields a coordinator needs (SPEC §3.3). */
public record MatchedEvent(String eventId, String eventType, Instant eventTimestamp, BigDecimal value) {

    public static final Comparator<MatchedEvent> EVENT_ORDER =
            Comparator.comparing(MatchedEvent::eventTimestamp).thenComparing(MatchedEvent::eventId);

    /** The event's numeric value: {@code amount} for payments, {@code new_score} for scores, else null. */
    public static MatchedEvent of(Event e) {
        BigDecimal value = e.amount().orElse(e.newScore().map(Decimals::whole).orElse(null));
        return new MatchedEvent(e.eventId(), e.eventType(), e.eventTimestamp(), value);
    }
}
