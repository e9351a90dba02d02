package dev.pulse.family;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/** One engagement score at an event time; ordered by (time, event id) as SPEC §7 orders events. */
public record ScoreObservation(Instant at, String eventId, int score) {

    static final Comparator<ScoreObservation> EVENT_ORDER =
            Comparator.comparing(ScoreObservation::at).thenComparing(ScoreObservation::eventId);

    public ScoreObservation {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(eventId, "eventId");
    }

    boolean isAfter(ScoreObservation other) {
        return other == null || EVENT_ORDER.compare(this, other) > 0;
    }
}
