package dev.pulse.config;

import dev.pulse.stream.window.WindowSpec;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Trending (SPEC §3.5; README "Trending").
 *
 * @param window   the sliding window, {@code size/slide}
 * @param top      families and event types listed
 * @param minCount events of a type in the window before it can count as trending
 * @param poll     how often the stream's watermark is looked at for a newly closed window
 */
@ConfigurationProperties("pulse.trending")
public record TrendingProperties(@DefaultValue("true") boolean enabled,
                                 @DefaultValue("1h/5m") String window,
                                 @DefaultValue("10") int top,
                                 @DefaultValue("20") long minCount,
                                 @DefaultValue("1s") Duration poll) {

    public TrendingProperties {
        if (top < 1) {
            throw new IllegalArgumentException("pulse.trending.top must be >= 1, was " + top);
        }
        if (minCount < 1) {
            throw new IllegalArgumentException("pulse.trending.min-count must be >= 1, was " + minCount);
        }
        if (poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("pulse.trending.poll must be positive, was " + poll);
        }
    }

    /** The window as a sliding window spec; throws naming the key when it is not {@code size/slide}. */
    public WindowSpec.Sliding spec() {
        try {
            return dev.pulse.trending.TrendingWindow.parseSpec(window);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pulse.trending.window: '" + window + "': " + e.getMessage(), e);
        }
    }
}
