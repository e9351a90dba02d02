package dev.pulse.support;

import dev.pulse.PulseApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Pulse of a test's own, in this JVM, that the test can stop and start again on the same port, against the
 * test broker and database, on a topic and consumer group of its own (so it neither replays nor disturbs the
 * other tests' stream). For tests about a server going away; everything else uses {@link PulseIT}.
 */
public final class PulseServer implements AutoCloseable {

    private final int port;
    private final String topic;
    private final String group;
    private final Map<String, Object> extra;
    private ConfigurableApplicationContext context;

    private PulseServer(int port, String topic, String group, Map<String, Object> extra) {
        this.port = port;
        this.topic = topic;
        this.group = group;
        this.extra = extra;
    }

    /** A server (not started yet) on a free port, a fresh topic and group named after {@code name}. */
    public static PulseServer fresh(String name, Map<String, Object> extra) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        return new PulseServer(freePort(), "pulse." + name + "." + suffix, "pulse-" + name + "-" + suffix, Map.copyOf(extra));
    }

    public PulseServer start() {
        if (context != null) {
            throw new IllegalStateException("already running");
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.port", port);
        // Nothing to drain: the tests using this are about a server that goes away.
        properties.put("server.shutdown", "immediate");
        properties.put("PULSE_DB_NAME", System.getenv().getOrDefault("PULSE_DB_NAME", "pulse_test"));
        properties.put("pulse.kafka.bootstrap-servers", TestBroker.bootstrapServers());
        properties.put("pulse.kafka.partitions", TestBroker.PARTITIONS);
        properties.put("pulse.kafka.topic", topic);
        properties.put("pulse.kafka.dlq-topic", topic + ".dlq");
        properties.put("pulse.kafka.group-id", group);
        properties.put("pulse.stream.idle-advance", "0s");
        properties.put("pulse.stream.checkpoint-interval", "50ms");
        properties.putAll(extra);
        // As command-line arguments: they override application.yml (builder properties would not).
        context = new SpringApplicationBuilder(PulseApplication.class)
                .run(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
        return this;
    }

    public void stop() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** A bean of the running server. */
    public <T> T bean(Class<T> type) {
        if (context == null) {
            throw new IllegalStateException("not running");
        }
        return context.getBean(type);
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String topic() {
        return topic;
    }

    /** A port nothing listens on now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
