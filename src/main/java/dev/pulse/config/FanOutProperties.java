package dev.pulse.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-instance fan-out over PostgreSQL LISTEN/NOTIFY (SPEC §4 scale-out; README "Scale-out").
 *
 * @param minBackoff   first wait before listening again after the channel was lost; doubles per failure
 * @param maxBackoff   the longest such wait
 * @param heartbeat    how often the listening connection is probed ({@code select 1}, answered within the
 *                     same time), so that a dead network path is noticed, not mistaken for a quiet stream
 * @param maxPending   notifications (each under 8000 bytes) held for the relay thread when it falls behind;
 *                     beyond that it listens afresh and tells clients to resync
 * @param startTimeout how long start-up waits for the first LISTEN before the pipeline starts anyway
 */
@ConfigurationProperties("pulse.fan-out")
public record FanOutProperties(@DefaultValue("1s") Duration minBackoff,
                               @DefaultValue("30s") Duration maxBackoff,
                               @DefaultValue("15s") Duration heartbeat,
                               @DefaultValue("4096") int maxPending,
                               @DefaultValue("30s") Duration startTimeout) {

    public FanOutProperties {
        requirePositive("min-backoff", minBackoff);
        requirePositive("max-backoff", maxBackoff);
        requirePositive("heartbeat", heartbeat);
        requirePositive("start-timeout", startTimeout);
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("pulse.fan-out.max-backoff must be >= min-backoff, was " + maxBackoff
                    + " < " + minBackoff);
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("pulse.fan-out.max-pending must be >= 1, was " + maxPending);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("pulse.fan-out." + name + " must be > 0, was " + value);
        }
    }
}
