package dev.pulse.engine;

import dev.pulse.family.EngagementRules;
import java.time.Duration;
import java.util.Objects;

/**
 * The engine's configuration as core values (the {@code config} package builds it from properties).
 * {@link #defaults()} has idle-advance off, as replays and deterministic tests want.
 *
 * @param retention how far behind the watermark a family's events are kept; beyond it they are pruned
 *                  (must cover the longest rolling range and rule window)
 */
public record EngineSettings(Duration maxOutOfOrderness, Duration idleAdvance, Duration allowedLateness,
                             EngagementRules engagement, Duration retention) {

    public EngineSettings {
        Objects.requireNonNull(maxOutOfOrderness, "maxOutOfOrderness");
        Objects.requireNonNull(idleAdvance, "idleAdvance");
        Objects.requireNonNull(allowedLateness, "allowedLateness");
        Objects.requireNonNull(engagement, "engagement");
        Objects.requireNonNull(retention, "retention");
        if (retention.compareTo(engagement.longRange()) < 0) {
            throw new IllegalArgumentException("retention " + retention + " must cover the long range " + engagement.longRange());
        }
    }

    public static EngineSettings defaults() {
        return new EngineSettings(Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO, EngagementRules.DEFAULTS, Duration.ofDays(35));
    }
}
