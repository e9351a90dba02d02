package dev.pulse.rules;

import dev.pulse.event.Event;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;

/** An event a detection matched, with the key fields a coordinator needs (SPEC §3.3). */
public record MatchedEvent(String eventId, String eventType, Instant eventTimestamp, BigDecimal value) {

    public static final Comparator<MatchedEvent> EVENT_ORDER =
            Comparator.comparing(MatchedEvent::eventTimestamp).thenComparing(MatchedEvent::eventId);

    /**
     * Scores as values, made once: matched events are held with the detections a family keeps for diffing, and a
     * score's own BigDecimal per matched event would cost 40 B each (BigDecimal.valueOf shares only 0 to 10).
     */
    private static final BigDecimal[] SCORES = new BigDecimal[128];

    static {
        for (int i = 0; i < SCORES.length; i++) {
            SCORES[i] = BigDecimal.valueOf(i);
        }
    }

    /** The event's numeric value: {@code amount} for payments, {@code new_score} for scores, else null. */
    public static MatchedEvent of(Event e) {
        BigDecimal value = e.amount().orElse(e.newScore().map(MatchedEvent::score).orElse(null));
        return new MatchedEvent(e.eventId(), e.eventType(), e.eventTimestamp(), value);
    }

    /** {@code BigDecimal.valueOf(score)}: equal, and of the same scale, shared for the usual scores. */
    private static BigDecimal score(Integer score) {
        return score >= 0 && score < SCORES.length ? SCORES[score] : BigDecimal.valueOf(score);
    }
}
