package dev.pulse.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the event log lives (SPEC §1.3). {@code partitions} is used only when Pulse creates the
 * topics itself; an existing topic keeps its partition count. {@code maxPollRecords} is the most one
 * poll of the receiver hands over; the receiver holds at most about two polls beyond what the pipeline
 * asked for (one queued, one being handed out), so it is part of the memory bound while the database
 * stalls, next to {@code pulse.stream.max-in-flight-events}. {@code sessionTimeout} is how long the group
 * waits for an instance that stopped without leaving (killed, cut off) before its partitions go to the others.
 */
@ConfigurationProperties("pulse.kafka")
public record KafkaProperties(@DefaultValue("127.0.0.1:19092") String bootstrapServers,
                              @DefaultValue("pulse.events") String topic,
                              @DefaultValue("pulse.events.dlq") String dlqTopic,
                              @DefaultValue("pulse") String groupId,
                              @DefaultValue("6") int partitions,
                              @DefaultValue("1000") int maxPollRecords,
                              @DefaultValue("45s") Duration sessionTimeout) {

    public KafkaProperties {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("pulse.kafka.bootstrap-servers must not be empty");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("pulse.kafka.partitions must be >= 1, was " + partitions);
        }
        if (sessionTimeout.toMillis() < 1_000) {
            // the broker refuses sessions shorter than its group.min.session.timeout.ms (6 s by default) anyway
            throw new IllegalArgumentException("pulse.kafka.session-timeout must be >= 1s, was " + sessionTimeout);
        }
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("pulse.kafka.max-poll-records must be >= 1, was " + maxPollRecords);
        }
    }
}
