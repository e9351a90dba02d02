package dev.pulse.trending;

import dev.pulse.stream.window.WindowSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which sliding window trending looks at, and which counter rows it adds up (SPEC §3.5). The sliding windows
 * are {@code [k·slide, k·slide + size)}, epoch-aligned like every window (SPEC §2); trending is computed from
 * the tumbling counter rows of {@code source}, whose size divides both size and slide, so a sliding window
 * and the one before it are exact unions of tumbling windows, and no further state is kept.
 */
public record TrendingWindow(WindowSpec.Sliding spec, WindowSpec.Tumbling source) {

    public TrendingWindow {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(source, "source");
        if (!divides(source.size(), spec.size()) || !divides(source.size(), spec.slide())) {
            throw new IllegalArgumentException("the tumbling counter window " + source.sizeLabel() + " does not divide the trending window "
                    + spec.sizeLabel());
        }
    }

    /**
     * The trending window over the largest configured tumbling counter window that divides its size and slide.
     *
     * @throws IllegalArgumentException naming what to configure when no counter window fits
     */
    public static TrendingWindow over(WindowSpec.Sliding spec, List<WindowSpec> counterWindows) {
        Optional<WindowSpec.Tumbling> source = counterWindows.stream()
                .filter(w -> w instanceof WindowSpec.Tumbling)
                .map(w -> (WindowSpec.Tumbling) w)
                .filter(t -> divides(t.size(), spec.size()) && divides(t.size(), spec.slide()))
                .max((a, b) -> a.size().compareTo(b.size()));
        return new TrendingWindow(spec, source.orElseThrow(() -> new IllegalArgumentException(
                "trending over " + spec.sizeLabel() + " adds up tumbling counter rows, and no tumbling window of pulse.counters.windows "
                        + counterWindows + " divides " + spec.sizeLabel() + " (add e.g. tumbling:1m, or set pulse.trending.enabled=false)")));
    }

    /** Parses {@code size/slide} ({@code 1h/5m}); throws {@link IllegalArgumentException} saying what was expected. */
    public static WindowSpec.Sliding parseSpec(String text) {
        if (WindowSpec.parse("sliding:" + text) instanceof WindowSpec.Sliding sliding) {
            return sliding;
        }
        throw new IllegalArgumentException("must be size/slide such as 1h/5m, was '" + text + "'");
    }

    /** One window {@code [start, end)}. */
    public record Span(Instant start, Instant end) {
    }

    /** The latest window that {@code watermark} has closed: the greatest k with {@code k·slide + size ≤ watermark}. */
    public Span latestClosed(Instant watermark) {
        long slide = spec.slide().toMillis();
        long k = Math.floorDiv(watermark.toEpochMilli() - spec.size().toMillis(), slide);
        Instant start = Instant.ofEpochMilli(k * slide);
        return new Span(start, start.plus(spec.size()));
    }

    public Duration size() {
        return spec.size();
    }

    private static boolean divides(Duration part, Duration whole) {
        return whole.toMillis() % part.toMillis() == 0;
    }
}
