package dev.pulse.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Event-time and micro-batch settings (SPEC §2, §4).
 *
 * <p>{@code maxInFlightEvents} bounds the records between the Kafka receiver and the end of their
 * checkpoint transaction, over all partitions of the instance: when that many are taken and not yet
 * checkpointed, the receiver is asked for nothing more and pauses the consumer. It is what keeps memory
 * flat while PostgreSQL is slow or down (SPEC §4 backpressure). The default is two full batches, so one
 * batch can be assembled while the previous one commits; below {@code checkpointMaxEvents} no batch
 * reaches full size.
 *
 * <p>{@code stepTimeout} is the longest one lane step (a micro-batch or an idle check, from the engine to the commit)
 * may take. A step that never ends (a lost signal, a connection that never answers) would otherwise hold its
 * partition silently forever: past the timeout the step fails like any failed batch, the partition shows the error,
 * and the pipeline resumes from the stored checkpoints. Checkpoints of full batches take seconds at most (a
 * backfill's slowest measured 6 s), so the default leaves a wide margin.
 */
@ConfigurationProperties("pulse.stream")
public record StreamProperties(@DefaultValue("5s") Duration maxOutOfOrderness,
                               @DefaultValue("30s") Duration idleAdvance,   // 0 turns it off
                               @DefaultValue("0s") Duration allowedLateness,
                               @DefaultValue("200ms") Duration checkpointInterval,
                               @DefaultValue("5000") int checkpointMaxEvents,
                               @DefaultValue("10000") int maxInFlightEvents,
                               @DefaultValue("2m") Duration stepTimeout) {

    public StreamProperties {
        if (maxOutOfOrderness.isNegative()) {
            throw new IllegalArgumentException("pulse.stream.max-out-of-orderness must be >= 0, was " + maxOutOfOrderness);
        }
        if (idleAdvance.isNegative()) {
            throw new IllegalArgumentException("pulse.stream.idle-advance must be >= 0 (0 = off), was " + idleAdvance);
        }
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("pulse.stream.allowed-lateness must be >= 0, was " + allowedLateness);
        }
        if (checkpointInterval.isZero() || checkpointInterval.isNegative()) {
            throw new IllegalArgumentException("pulse.stream.checkpoint-interval must be > 0, was " + checkpointInterval);
        }
        if (checkpointMaxEvents < 1) {
            throw new IllegalArgumentException("pulse.stream.checkpoint-max-events must be >= 1, was " + checkpointMaxEvents);
        }
        if (maxInFlightEvents < 1) {
            throw new IllegalArgumentException("pulse.stream.max-in-flight-events must be >= 1, was " + maxInFlightEvents);
        }
        if (stepTimeout.isZero() || stepTimeout.isNegative()) {
            throw new IllegalArgumentException("pulse.stream.step-timeout must be > 0, was " + stepTimeout);
        }
    }
}
