package dev.pulse.stream.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A partition's watermark W (SPEC §2, §7): the assertion that no event with t &lt; W is still to come.
 * A window {@code [s, e)} is final when W ≥ e ({@link #hasReached}); an inclusive absence deadline D
 * fires when W &gt; D ({@link #hasPassed}). Immutable; {@link #NONE} is the watermark before any event.
 * <p>
 * Watermarks that {@link WatermarkTracker} makes have millisecond precision, like event times (§7).
 */
public record Watermark(Instant instant) implements Comparable<Watermark> {

    /** Before every valid event time, so it has reached no window end and passed no deadline. */
    public static final Watermark NONE = new Watermark(Instant.MIN);

    public Watermark {
        Objects.requireNonNull(instant, "instant");
    }

    /** Stream time − max out-of-orderness (SPEC §2); {@link #NONE} while the stream time is none. */
    public static Watermark of(StreamTime streamTime, Duration maxOutOfOrderness) {
        return streamTime.isNone() ? NONE : new Watermark(streamTime.watermark(maxOutOfOrderness));
    }

    public boolean isNone() {
        // Not the record's equals: asked at every arrival, and its generated method ran as an un-inlined method handle
        return instant.equals(Instant.MIN);
    }

    /** W ≥ t: a window ending at {@code t} (exclusive) is final. */
    public boolean hasReached(Instant t) {
        return !instant.isBefore(t);
    }

    /** W &gt; t: an inclusive deadline at {@code t} fires. */
    public boolean hasPassed(Instant t) {
        return instant.isAfter(t);
    }

    public boolean isAfter(Watermark other) {
        return instant.isAfter(other.instant);
    }

    /** The later of the two: how a watermark that must never go backwards takes a new candidate. */
    public Watermark max(Watermark other) {
        return other.isAfter(this) ? other : this;
    }

    @Override
    public int compareTo(Watermark other) {
        return instant.compareTo(other.instant);
    }

    @Override
    public String toString() {
        return isNone() ? "Watermark[none]" : "Watermark[" + instant + "]";
    }
}
