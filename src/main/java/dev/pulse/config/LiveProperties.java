package dev.pulse.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Live delivery to WebSocket and SSE clients (SPEC §5.2, §5.3, §4 backpressure; README "WebSocket" and "SSE").
 *
 * @param metricsInterval        at least this long between two {@code metrics} messages to one client (100ms = 10/s)
 * @param statusInterval         how often {@code status} is sent
 * @param maxPendingDetections   detection changes one client may have waiting; one more and it gets {@code resync}
 * @param maxPendingFamilies     families with conflated metrics one client may have waiting; beyond, {@code resync}
 * @param maxClientMessage       the largest client message answered with anything but an error frame
 * @param maxFrame               the largest WebSocket frame read at all; above it the connection is closed (1009)
 * @param maxFilterFamilies      most {@code family_ids} one {@code subscribe} may name
 * @param sseHeartbeat           an SSE comment is sent this often
 * @param ssePoll                how often SSE detection streams look for committed changes without being woken
 * @param ssePage                detection changes read per query while an SSE client catches up
 * @param sseRetention           how long {@code detection_events} keeps a change for SSE clients resuming with
 *                               {@code Last-Event-ID}; older ones are deleted hourly (0: kept for ever)
 * @param maxConnectionsPerUser  dashboard sockets and SSE streams one user or token may hold open at once; one more gets 429
 */
@ConfigurationProperties("pulse.live")
public record LiveProperties(@DefaultValue("100ms") Duration metricsInterval,
                             @DefaultValue("1s") Duration statusInterval,
                             @DefaultValue("1000") int maxPendingDetections,
                             @DefaultValue("20000") int maxPendingFamilies,
                             @DefaultValue("16KB") DataSize maxClientMessage,
                             @DefaultValue("1MB") DataSize maxFrame,
                             @DefaultValue("1000") int maxFilterFamilies,
                             @DefaultValue("15s") Duration sseHeartbeat,
                             @DefaultValue("1s") Duration ssePoll,
                             @DefaultValue("500") int ssePage,
                             @DefaultValue("7d") Duration sseRetention,
                             @DefaultValue("20") int maxConnectionsPerUser) {

    public LiveProperties {
        requirePositive("metrics-interval", metricsInterval);
        requirePositive("status-interval", statusInterval);
        requirePositive("sse-heartbeat", sseHeartbeat);
        requirePositive("sse-poll", ssePoll);
        requireAtLeastOne("max-pending-detections", maxPendingDetections);
        requireAtLeastOne("max-pending-families", maxPendingFamilies);
        requireAtLeastOne("max-filter-families", maxFilterFamilies);
        requireAtLeastOne("sse-page", ssePage);
        if (sseRetention == null || sseRetention.isNegative()) {
            throw new IllegalArgumentException("pulse.live.sse-retention must be >= 0 (0: kept for ever), was " + sseRetention);
        }
        requireAtLeastOne("max-connections-per-user", maxConnectionsPerUser);
        if (maxClientMessage.toBytes() < 1 || maxFrame.toBytes() < maxClientMessage.toBytes()) {
            throw new IllegalArgumentException("pulse.live.max-frame must be >= max-client-message >= 1 byte, was "
                    + maxFrame + " and " + maxClientMessage);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("pulse.live." + name + " must be > 0, was " + value);
        }
    }

    private static void requireAtLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("pulse.live." + name + " must be >= 1, was " + value);
        }
    }
}
