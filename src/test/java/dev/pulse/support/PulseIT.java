package dev.pulse.support;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Base of the integration tests: the whole application on a random port, against the real in-process
 * Kafka broker and the real PostgreSQL database {@code pulse_test} (created fresh by scripts/test).
 * All subclasses share one application context; each test uses its own family ids.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class PulseIT {

    protected static final String TOPIC = "pulse.events";
    protected static final String DLQ = "pulse.events.dlq";
    private static final String GROUP = "pulse-test-" + UUID.randomUUID();

    @LocalServerPort
    protected int port;

    @Autowired
    protected DatabaseClient db;

    protected WebTestClient http;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        String database = System.getenv().getOrDefault("PULSE_DB_NAME", "pulse_test");
        registry.add("PULSE_DB_NAME", () -> database);
        registry.add("pulse.kafka.bootstrap-servers", TestBroker::bootstrapServers);
        registry.add("pulse.kafka.partitions", () -> TestBroker.PARTITIONS);
        // A group of its own per test JVM: the broker is new each run, the test database may not be.
        registry.add("pulse.kafka.group-id", () -> GROUP);
        registry.add("pulse.stream.idle-advance", () -> "0s");
        registry.add("pulse.stream.checkpoint-interval", () -> "50ms");
    }

    @BeforeEach
    void client() {
        http = TestCredentials.http("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                // Lists with limit=10000 over the shared database (BackpressureIT alone adds 300 families) outgrow
                // the client's default 256 KiB buffer, depending on the order the test classes run in.
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
                .build();
    }

    /** The family's row at {@code GET /api/families/{id}}, or null while it answers 404. The body is always consumed. */
    @SuppressWarnings("unchecked")
    protected Map<String, Object> familyOrNull(String family) {
        var result = http.get().uri("/api/families/{id}", family).exchange().expectBody(Map.class).returnResult();
        if (result.getStatus().value() == 404) {
            return null;
        }
        if (result.getStatus().value() != 200) {
            throw new AssertionError("GET /api/families/" + family + " answered " + result.getStatus());
        }
        return (Map<String, Object>) result.getResponseBody();
    }

    /**
     * The latest stream time of any partition, or the wall clock if that is later. The test JVM shares its
     * partitions, and tests that need open counter windows post ahead of every partition, so this moves on
     * through a run: a base taken from the wall clock alone can fall behind it and make windows late.
     */
    protected Instant latestStreamTime() {
        Map<String, Object> status = http.get().uri("/api/stream/status").exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        Instant latest = Instant.now();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> partitions = (List<Map<String, Object>>) status.get("partitions");
        for (Map<String, Object> p : partitions) {
            if (p.get("stream_time") instanceof String time) {
                Instant t = Instant.parse(time);
                latest = t.isAfter(latest) ? t : latest;
            }
        }
        return latest;
    }

    /** A family id no other test uses. */
    protected static String uniqueFamily(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected static String uniqueId(String name) {
        return name + "-" + UUID.randomUUID();
    }
}
