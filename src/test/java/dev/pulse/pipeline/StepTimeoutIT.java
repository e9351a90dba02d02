package dev.pulse.pipeline;

import static dev.pulse.support.EventBodies.login;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.Poll;
import dev.pulse.support.PulseServer;
import dev.pulse.support.TestCredentials;
import dev.pulse.support.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * A lane step that does not end is failed after {@code pulse.stream.step-timeout}, shows as the pipeline's failure,
 * and the pipeline resumes from the stored checkpoint: no partition is held silently, and no event is lost or counted
 * twice. The step is made to hang by a session of the test holding this server's checkpoint rows
 * ({@code SELECT ... FOR UPDATE}): every checkpoint transaction starts by locking its partition's row (the fencing
 * check), so it waits for as long as the test holds them. Only this server's rows are locked, so the other tests'
 * pipeline goes on.
 */
class StepTimeoutIT {

    private final PulseServer server = PulseServer.fresh("step-timeout", Map.of("pulse.stream.step-timeout", "3s"));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldFailAStepThatDoesNotEndThenResumeAndCountEveryEventOnce() throws Exception {
        server.start();
        String family = "step-timeout-" + UUID.randomUUID().toString().substring(0, 8);
        post(login(family + "-1", family, "2026-11-27T09:00:00.000Z"));
        Poll.until(Duration.ofSeconds(60), "the first event checkpointed", () -> processed() == 1 ? Boolean.TRUE : null);
        EventPipeline pipeline = server.bean(EventPipeline.class);

        try (Connection blocker = holdCheckpointRows()) {
            try {
                post(login(family + "-2", family, "2026-11-27T09:00:01.000Z"));

                String failure = Poll.until(Duration.ofSeconds(30), "the hung step to fail",
                        () -> pipeline.currentFailure().filter(f -> f.contains("did not end within")).orElse(null));

                assertThat(failure).contains("TimeoutException").contains("within PT3S (pulse.stream.step-timeout)");
                assertThat(processed()).as("nothing committed while the rows are held").isEqualTo(1);
            } finally {
                blocker.rollback();
            }
        }

        Poll.until(Duration.ofSeconds(60), "the second event checkpointed after the rows are free",
                () -> processed() == 2 ? Boolean.TRUE : null);
        Poll.until(Duration.ofSeconds(30), "the failure cleared by progress",
                () -> pipeline.currentFailure().isEmpty() ? Boolean.TRUE : null);
        assertThat(eventsProcessedOf(family)).as("events_processed of " + family).isEqualTo(2);
        assertThat(pipeline.currentFailure()).isEqualTo(Optional.empty());
    }

    private void post(String event) {
        TestCredentials.http(server.baseUrl()).build().post().uri("/api/events")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(event)
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }

    /** Locks every checkpoint row of this server's topic in an open transaction, until the connection rolls back. */
    private Connection holdCheckpointRows() throws Exception {
        Connection connection = TestDatabase.connect(TestDatabase.shared());
        try (Statement statement = connection.createStatement()) {
            // A failed or hung test must not hold the rows over the rest of the suite.
            statement.execute("set idle_in_transaction_session_timeout = '90s'");
            connection.setAutoCommit(false);
            statement.execute("select kafka_partition from stream_checkpoints where topic = '" + server.topic() + "' for update");
        } catch (Exception e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private long processed() {
        return query("select coalesce(sum(events_processed_total), 0) from stream_checkpoints"
                + " where topic = '" + server.topic() + "'");
    }

    private long eventsProcessedOf(String family) {
        return query("select events_processed from realtime_family_metrics"
                + " where family_id = '" + family + "'");
    }

    private static long query(String sql) {
        try {
            return TestDatabase.single(TestDatabase.shared(), sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
