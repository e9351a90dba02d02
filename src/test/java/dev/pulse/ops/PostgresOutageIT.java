package dev.pulse.ops;

import static dev.pulse.support.RecentDay.at;
import dev.pulse.support.TestCredentials;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pulse.crash.PulseProcess;
import dev.pulse.support.Poll;
import dev.pulse.support.PrivatePostgres;
import dev.pulse.support.TestBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 8 / SPEC §4 "failures are visible": PostgreSQL goes away under a running Pulse and comes back. A real Pulse
 * process (as the crash test starts them) runs against a PostgreSQL cluster of this test's own, which the test stops
 * and starts; the shared server is never touched. {@code /actuator/health} must turn {@code DOWN} (503) while the
 * database is gone, {@code UP} once it is back, and the pipeline must resume: events accepted during the outage and
 * after it are all counted, once. The process logs in Spring Boot's structured ECS format
 * ({@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs}), so the same run shows that every line is then one JSON object.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresOutageIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration STARTUP = Duration.ofMinutes(4);
    /** The pipeline resubscribes with backoff doubling to 30 s; health follows its next claim or commit. */
    private static final Duration RECOVERY = Duration.ofMinutes(2);
    /** Enough families that every partition gets events in each phase (all three empty of 30: ~1e-5). */
    private static final int FAMILIES = 30;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private PrivatePostgres postgres;
    private PulseProcess pulse;
    private int port;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(PrivatePostgres.available(), "PostgreSQL's server tools (initdb, pg_ctl) are installed");
        postgres = PrivatePostgres.start("pulse_outage");
        port = freePort();
        pulse = PulseProcess.start("outage-" + run, Map.of(
                        "PULSE_DB_HOST", "127.0.0.1", "PULSE_DB_PORT", Integer.toString(postgres.port()),
                        "PULSE_DB_NAME", "pulse_outage", "PULSE_DB_USER", PrivatePostgres.USER,
                        "PULSE_DB_PASSWORD", PrivatePostgres.PASSWORD,
                        "LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs"),
                List.of("server.port=" + port,
                        "pulse.kafka.bootstrap-servers=" + TestBroker.bootstrapServers(),
                        "pulse.kafka.topic=outage-events-" + run,
                        "pulse.kafka.dlq-topic=outage-dlq-" + run,
                        "pulse.kafka.partitions=" + TestBroker.PARTITIONS,
                        "pulse.kafka.group-id=outage-" + run,
                        "pulse.stream.idle-advance=0s",
                        "pulse.simulator.enabled=false"),
                false); // as packaged: Spring Boot's own logging configuration, which the variable switches to JSON
        awaitHealth("UP", STARTUP);
    }

    @AfterAll
    void stop() throws Exception {
        if (pulse != null) {
            pulse.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void shouldReportDownWhileThePostgresServerIsStoppedAndResumeProcessingWhenItReturns() throws Exception {
        List<String> families = new ArrayList<>();
        for (int i = 0; i < FAMILIES; i++) {
            families.add("outage-" + run + "-" + i);
        }
        postOneEventEach(families, at("09:00:00"));
        awaitEventsProcessed(families, 1, Duration.ofSeconds(60));
        JsonNode up = health();
        assertThat(up.path("components").path("r2dbc").path("status").asString()).isEqualTo("UP");
        assertThat(up.path("components").path("kafka").path("status").asString()).isEqualTo("UP");

        postgres.stop();
        // Ingest does not need the database: events sent now wait in the log.
        postOneEventEach(families, at("09:05:00"));
        JsonNode down = awaitHealth("DOWN", Duration.ofSeconds(60));
        assertThat(down.path("components").path("r2dbc").path("status").asString()).as("PostgreSQL").isEqualTo("DOWN");
        assertThat(down.path("components").path("kafka").path("status").asString()).as("Kafka is still there").isEqualTo("UP");
        // The pipeline's own failure (the batch of 09:05 could not be written), not only its checkpoints unreadable:
        // the database stays away until the pipeline has tried and failed.
        Poll.until(Duration.ofSeconds(60), "the pipeline reporting its failure", () -> {
            JsonNode pipeline = health().path("components").path("pipeline");
            return pipeline.path("status").asString().equals("DOWN")
                    && !pipeline.path("details").path("pipeline").asString().isBlank() ? true : null;
        });

        postgres.startServer();
        awaitHealth("UP", RECOVERY);
        postOneEventEach(families, at("09:10:00"));
        awaitEventsProcessed(families, 3, RECOVERY);
        assertThat(health().path("status").asString()).isEqualTo("UP");
    }

    /** After the outage (order 2): its failure is among the lines, as a warning with the error in its own field. */
    @Test
    @Order(2)
    void shouldWriteEveryLogLineAsOneJsonObjectWhenStructuredLoggingIsOn() throws IOException {
        List<String> lines = Files.readAllLines(pulse.log()).stream().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("the process has logged").hasSizeGreaterThan(5);
        for (String line : lines) {
            JsonNode entry = JSON.readTree(line);
            assertThat(entry.has("@timestamp")).as("ECS line %s", line).isTrue();
            assertThat(entry.path("log").path("level").asString()).as("ECS line %s", line).isNotBlank();
            assertThat(entry.has("message")).as("ECS line %s", line).isTrue();
        }
        assertThat(lines).as("the start is logged as a structured line too")
                .anyMatch(l -> JSON.readTree(l).path("message").asString().startsWith("Started PulseApplication"));
        List<JsonNode> warnings = lines.stream().map(JSON::readTree)
                .filter(entry -> entry.path("log").path("level").asString().equals("WARN")).toList();
        assertThat(warnings).as("the pipeline's failure while the database was away, with its stack trace in the line")
                .anyMatch(entry -> entry.path("message").asString().startsWith("event pipeline failed")
                        && entry.path("error").path("stack_trace").asString().contains("EventPipeline"));
    }

    private void postOneEventEach(List<String> families, String timestamp) throws Exception {
        StringBuilder body = new StringBuilder("[");
        for (String family : families) {
            body.append(body.length() > 1 ? "," : "").append("""
                    {"event_id": "%s", "event_type": "UserLogin", "aggregate_id": "%s", "event_timestamp": "%s"}"""
                    .formatted(UUID.randomUUID(), family, timestamp));
        }
        HttpResponse<String> response = client.send(TestCredentials.request(uri("/api/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.append("]").toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    private void awaitEventsProcessed(List<String> families, int events, Duration timeout) {
        Poll.until(timeout, "every family at " + events + " events processed", () -> {
            for (String family : families) {
                HttpResponse<String> row = get("/api/families/" + family);
                if (row.statusCode() != 200 || JSON.readTree(row.body()).path("events_processed").asInt() != events) {
                    return null;
                }
            }
            return true;
        });
    }

    private JsonNode awaitHealth(String status, Duration timeout) {
        return Poll.until(timeout, "health " + status, () -> {
            if (!pulse.isAlive()) {
                throw new AssertionError("Pulse exited; see " + pulse.log().toAbsolutePath());
            }
            JsonNode health = health();
            return health != null && status.equals(health.path("status").asString()) ? health : null;
        });
    }

    /** The health document (200 when UP, 503 when DOWN), or null while the server does not answer. */
    private JsonNode health() {
        try {
            HttpResponse<String> response = get("/actuator/health");
            assertThat(response.statusCode()).isIn(200, 503);
            JsonNode health = JSON.readTree(response.body());
            assertThat(response.statusCode() == 200).as("200 exactly when UP: %s", response.body())
                    .isEqualTo(health.path("status").asString().equals("UP"));
            return health;
        } catch (IllegalStateException e) {
            return null;
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            return client.send(TestCredentials.request(uri(path)).timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("no answer from " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
