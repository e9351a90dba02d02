package dev.pulse.stream.window;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One kind of counter window (SPEC §2, §3.2, §3.5). Written in configuration as
 * {@code tumbling:1m}, {@code sliding:1h/5m}, {@code session:30m} or {@code count:5/1} ({@link #parse});
 * {@link #toString()} gives that text back. {@link #type()} is the {@code window_type} of a counter row
 * and {@link #sizeLabel()} its {@code size}: the text after the colon, so two specs of one type never
 * share a label.
 */
public sealed interface WindowSpec permits WindowSpec.Aligned, WindowSpec.Session, WindowSpec.Count {

    /** SPEC §3.2: tumbling {@code 1m} and {@code 1h}, and sessions with a {@code 30m} gap. */
    List<WindowSpec> DEFAULTS = List.of(
            tumbling(Duration.ofMinutes(1)), tumbling(Duration.ofHours(1)), session(Duration.ofMinutes(30)));

    /** {@code tumbling}, {@code sliding}, {@code session} or {@code count}. */
    String type();

    /** The configuration shorthand: {@code 1m}, {@code 1h/5m}, {@code 30m} (a session's gap), {@code 5/1}. */
    String sizeLabel();

    static Tumbling tumbling(Duration size) {
        return new Tumbling(size);
    }

    static Sliding sliding(Duration size, Duration slide) {
        return new Sliding(size, slide);
    }

    static Session session(Duration gap) {
        return new Session(gap);
    }

    static Count count(int size, int slide) {
        return new Count(size, slide);
    }

    /**
     * Parses {@code tumbling:<size>}, {@code sliding:<size>/<slide>}, {@code session:<gap>} or
     * {@code count:<n>[/<slide>]} (slide defaults to n: tumbling count windows). Durations use the
     * shorthand {@code 500ms}, {@code 30s}, {@code 1m}, {@code 1h}, {@code 1d}.
     *
     * @throws IllegalArgumentException whose message quotes the text and says what was expected
     */
    static WindowSpec parse(String text) {
        return WindowSpecText.parse(text);
    }

    /** Tumbling and sliding windows: fixed, epoch-aligned, so the windows of a time are known up front. */
    sealed interface Aligned extends WindowSpec permits Tumbling, Sliding {

        /** Every window that contains {@code t}, oldest first. */
        List<Window> windowsFor(Instant t);
    }

    /** Windows {@code [k·S, (k+1)·S)} (SPEC §2). */
    record Tumbling(Duration size) implements Aligned {

        public Tumbling {
            DurationShorthand.requirePositiveMillis(size, "tumbling window size");
        }

        @Override
        public List<Window> windowsFor(Instant t) {
            return List.of(Window.tumbling(t, size));
        }

        @Override
        public String type() {
            return "tumbling";
        }

        @Override
        public String sizeLabel() {
            return DurationShorthand.format(size);
        }

        @Override
        public String toString() {
            return type() + ":" + sizeLabel();
        }
    }

    /** Windows {@code [k·P, k·P + S)} for size S and slide P ≤ S (SPEC §2): each time is in ⌈S/P⌉ or ⌊S/P⌋ of them. */
    record Sliding(Duration size, Duration slide) implements Aligned {

        public Sliding {
            DurationShorthand.requirePositiveMillis(size, "sliding window size");
            DurationShorthand.requirePositiveMillis(slide, "sliding window slide");
            if (slide.compareTo(size) > 0) {
                // A slide beyond the size would leave gaps that count nothing; no one asks for that.
                throw new IllegalArgumentException("sliding window slide must be <= size, was "
                        + DurationShorthand.format(slide) + " > " + DurationShorthand.format(size));
            }
        }

        @Override
        public List<Window> windowsFor(Instant t) {
            long tMs = t.toEpochMilli();
            long sizeMs = size.toMillis();
            long slideMs = slide.toMillis();
            // [k·P, k·P + S) holds t  ⇔  (t − S)/P < k ≤ t/P
            long firstK = Math.floorDiv(tMs - sizeMs, slideMs) + 1;
            long lastK = Math.floorDiv(tMs, slideMs);
            List<Window> windows = new ArrayList<>((int) (lastK - firstK + 1));
            for (long k = firstK; k <= lastK; k++) {
                windows.add(Window.ofMillis(k * slideMs, k * slideMs + sizeMs));
            }
            return windows;
        }

        @Override
        public String type() {
            return "sliding";
        }

        @Override
        public String sizeLabel() {
            return DurationShorthand.format(size) + "/" + DurationShorthand.format(slide);
        }

        @Override
        public String toString() {
            return type() + ":" + sizeLabel();
        }
    }

    /**
     * Session windows (SPEC §2, §7): a maximal run of a family's events, all types, whose consecutive
     * gaps are &lt; {@code gap}, covering {@code [first, last + gap)}. Events exactly {@code gap} apart
     * are in separate sessions.
     */
    record Session(Duration gap) implements WindowSpec {

        public Session {
            DurationShorthand.requirePositiveMillis(gap, "session gap");
        }

        @Override
        public String type() {
            return "session";
        }

        /** The gap (SPEC §7: "Session counter rows have size = the gap"). */
        @Override
        public String sizeLabel() {
            return DurationShorthand.format(gap);
        }

        @Override
        public String toString() {
            return type() + ":" + sizeLabel();
        }
    }

    /**
     * Count windows (SPEC §3.5): per (family, event type), the events in SPEC §7 order (event time, then
     * event id) numbered 0, 1, 2, …; window j holds events {@code j·slide … j·slide + size − 1}.
     * {@code slide == size} gives tumbling count windows, {@code slide == 1} "the last n".
     */
    record Count(int size, int slide) implements WindowSpec {

        /** Bounds the events a count window keeps per (family, event type). */
        public static final int MAX_SIZE = 10_000;

        public Count {
            if (size < 1 || size > MAX_SIZE) {
                throw new IllegalArgumentException("count window size must be in 1.." + MAX_SIZE + ", was " + size);
            }
            if (slide < 1 || slide > size) {
                throw new IllegalArgumentException("count window slide must be in 1..size (" + size + "), was " + slide);
            }
        }

        @Override
        public String type() {
            return "count";
        }

        @Override
        public String sizeLabel() {
            return size + "/" + slide;
        }

        @Override
        public String toString() {
            return type() + ":" + sizeLabel();
        }
    }
}
