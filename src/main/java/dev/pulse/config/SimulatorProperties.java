package dev.pulse.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The built-in event simulator (SPEC §1.3), off by default. On start it writes {@code history} of
 * past days for every family (deterministic ids, so a restart on the same day adds nothing), then
 * live events at {@code eventsPerSecond}.
 */
@ConfigurationProperties("pulse.simulator")
public record SimulatorProperties(@DefaultValue("false") boolean enabled,
                                  @DefaultValue("40") int families,
                                  @DefaultValue("10") double eventsPerSecond,
                                  @DefaultValue("14d") Duration history,
                                  @DefaultValue("42") long seed) {

    public SimulatorProperties {
        if (families < 1) {
            throw new IllegalArgumentException("pulse.simulator.families must be >= 1, was " + families);
        }
        if (!(eventsPerSecond > 0)) {
            throw new IllegalArgumentException("pulse.simulator.events-per-second must be > 0, was " + eventsPerSecond);
        }
        if (history.isNegative()) {
            throw new IllegalArgumentException("pulse.simulator.history must be >= 0, was " + history);
        }
    }
}
