package dev.pulse.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * This instance's name as the owner of the partitions it claims (SPEC §4 fencing; shown as {@code owner}
 * by {@code GET /api/stream/status}). Unset, it is {@code <hostname>-<pid>-<random>}: unique per process
 * even for two instances on one host, or one restarted with the same pid in a container.
 */
@ConfigurationProperties("pulse.instance")
public record InstanceProperties(String id) {

    public InstanceProperties {
        if (id == null || id.isBlank()) {
            id = hostname() + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 6);
        } else if (id.length() > 200) {
            throw new IllegalArgumentException("pulse.instance.id must be at most 200 characters, was " + id.length());
        }
    }

    private static String hostname() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            // Resolved once, at start-up on the main thread.
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "pulse";
        }
    }
}
