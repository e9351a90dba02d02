package dev.pulse.config;

import dev.pulse.stream.window.WindowSpec;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The counter windows (SPEC §3.2, §3.5): each as {@code tumbling:1m}, {@code sliding:1h/5m},
 * {@code session:30m} or {@code count:5/1}. A malformed one stops the start with the reason.
 */
@ConfigurationProperties("pulse.counters")
public record CounterProperties(@DefaultValue({"tumbling:1m", "tumbling:1h", "session:30m"}) List<String> windows) {

    public List<WindowSpec> specs() {
        return windows.stream().map(text -> {
            try {
                return WindowSpec.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pulse.counters.windows: '" + text + "': " + e.getMessage(), e);
            }
        }).toList();
    }
}
