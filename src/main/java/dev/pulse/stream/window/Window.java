package dev.pulse.stream.window;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A half-open event-time interval {@code [start, end)} (SPEC §2): it contains t iff
 * {@code start ≤ t < end}, so an event exactly at {@code end} belongs to the next window. A window is
 * final when the watermark W ≥ {@code end} (SPEC §7).
 */
public record Window(Instant start, Instant end) {

    /** By end, then start: the order in which a rising watermark makes windows final. */
    public static final Comparator<Window> BY_END_THEN_START =
            Comparator.comparing(Window::end).thenComparing(Window::start);

    public Window {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("window start must be before end, was [" + start + ", " + end + ")");
        }
    }

    /**
     * The tumbling window {@code [k·S, (k+1)·S)} that holds {@code t}, aligned to the Unix epoch in UTC
     * (SPEC §2). {@code size} must be a positive whole number of milliseconds.
     */
    public static Window tumbling(Instant t, Duration size) {
        long sizeMs = size.toMillis();
        if (sizeMs <= 0) {
            throw new IllegalArgumentException("tumbling window size must be > 0, was " + size);
        }
        long startMs = Math.floorDiv(t.toEpochMilli(), sizeMs) * sizeMs; // floorDiv: right before 1970 too
        return ofMillis(startMs, startMs + sizeMs);
    }

    static Window ofMillis(long startMs, long endMs) {
        return new Window(Instant.ofEpochMilli(startMs), Instant.ofEpochMilli(endMs));
    }

    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}
