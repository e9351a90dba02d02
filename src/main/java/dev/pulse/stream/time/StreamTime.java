package dev.pulse.stream.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A partition's stream time: the largest event time seen on it (SPEC §2). Immutable; {@link #advance}
 * returns the new value. {@link #NONE} is the stream time before any event.
 */
public record StreamTime(Instant instant) {

    /** Before every valid event time (validated events lie in years 0001..9999). */
    public static final StreamTime NONE = new StreamTime(Instant.MIN);

    public StreamTime {
        Objects.requireNonNull(instant, "instant");
    }

    public boolean isNone() {
        // Not the record's equals: asked at every arrival, and its generated method ran as an un-inlined method handle
        return instant.equals(Instant.MIN);
    }

    public StreamTime advance(Instant eventTime) {
        return eventTime.isAfter(instant) ? new StreamTime(eventTime) : this;
    }

    /** Stream time − max out-of-orderness: no event before it is still expected (SPEC §2). */
    public Instant watermark(Duration maxOutOfOrderness) {
        return isNone() ? Instant.MIN : instant.minus(maxOutOfOrderness);
    }
}
