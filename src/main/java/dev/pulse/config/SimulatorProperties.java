package dev.pulse.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The built-in event simulator (SPEC §1.3), off by default. On start it writes {@code history} of
 * past days for every family (deterministic ids, so a restart on the same day adds nothing), then
 * live events at {@code eventsPerSecond}. {@code schemaV2Share} of scores and payments are written in
 * schema version 2 (SPEC §3.6), so a demo stream exercises the upcasters.
 */
@ConfigurationProperties("pulse.simulator")
public record SimulatorProperties(@DefaultValue("false") boolean enabled,
                                  @DefaultValue("40") int families,
                                  @DefaultValue("10") double eventsPerSecond,
                                  @DefaultValue("14d") Duration history,
                                  @DefaultValue("42") long seed,
                                  @DefaultValue("0.25") double schemaV2Share) {

    public SimulatorProperties {
        if (families < 1) {
            throw new IllegalArgumentException("pulse.simulator.families must be >= 1, was " + families);
        }
        if (!(eventsPerSecond > 0)) {
            throw new IllegalArgumentException("pulse.simulator.events-per-second must be > 0, was " + eventsPerSecond);
        }
        if (!(schemaV2Share >= 0 && schemaV2Share <= 1)) {
            throw new IllegalArgumentException("pulse.simulator.schema-v2-share must be in 0..1, was " + schemaV2Share);
        }
        if (history.isNegative()) {
            throw new IllegalArgumentException("pulse.simulator.history must be >= 0, was " + history);
        }
    }
}
