package dev.pulse.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rule changes and backtests (SPEC §4.1).
 *
 * @param refreshInterval    how often an instance reads the active rule version from PostgreSQL, so that a
 *                           version made through another instance reaches its lanes (the instance that made it
 *                           switches at once)
 * @param backtestMaxEvents  the most log records one backtest may read (counted from the offsets before
 *                           anything is read); a larger range is refused with 413
 * @param backtestTimeout    how long one backtest may take before it is abandoned
 */
@ConfigurationProperties("pulse.rule-changes")
public record RuleChangeProperties(@DefaultValue("1s") Duration refreshInterval,
                                   @DefaultValue("200000") long backtestMaxEvents,
                                   @DefaultValue("2m") Duration backtestTimeout) {

    public RuleChangeProperties {
        if (refreshInterval.isZero() || refreshInterval.isNegative()) {
            throw new IllegalArgumentException("pulse.rule-changes.refresh-interval must be > 0, was " + refreshInterval);
        }
        if (backtestMaxEvents < 1) {
            throw new IllegalArgumentException("pulse.rule-changes.backtest-max-events must be >= 1, was " + backtestMaxEvents);
        }
        if (backtestTimeout.isZero() || backtestTimeout.isNegative()) {
            throw new IllegalArgumentException("pulse.rule-changes.backtest-timeout must be > 0, was " + backtestTimeout);
        }
    }
}
