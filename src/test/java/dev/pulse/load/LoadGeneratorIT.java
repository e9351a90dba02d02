package dev.pulse.load;

import dev.pulse.security.Role;
import dev.pulse.support.TestCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.PulseIT;
import dev.pulse.support.TestBroker;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** scripts/load against the real stack: what it sends is counted exactly once, and its check can fail. */
class LoadGeneratorIT extends PulseIT {

    private static final java.util.concurrent.atomic.AtomicInteger RUNS = new java.util.concurrent.atomic.AtomicInteger();

    @Test
    void shouldSendToTheTopicAndReconcileEveryFamily() throws Exception {
        assertThat(LoadGenerator.run(options("--target", "kafka", "--bootstrap", TestBroker.bootstrapServers(),
                "--events", "1500", "--families", "40", "--rate", "max", "--v2-share", "0.25"))).isTrue();
    }

    @Test
    void shouldPostToTheApiAtAFixedRateAndReconcileEveryFamily() throws Exception {
        assertThat(LoadGenerator.run(options("--target", "http", "--events", "800", "--families", "30",
                "--rate", "3000", "--batch", "200"))).isTrue();
    }

    @Test
    void shouldReportEventsThatNeverReachedPulseAsLost() throws Exception {
        // A topic Pulse does not read: every event is acknowledged by the broker and none is counted.
        assertThat(LoadGenerator.run(options("--target", "kafka", "--bootstrap", TestBroker.bootstrapServers(),
                "--topic", "not-read-by-pulse", "--events", "200", "--families", "5", "--verify-timeout-s", "2"))).isFalse();
    }

    private LoadOptions options(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        // Event time years back: the detections this stream produces must not crowd today's out of the lists that
        // other tests on the shared database read newest first (the dashboard's feed keeps the 50 newest).
        all.addAll(List.of("--from", "2019-0" + (1 + RUNS.getAndIncrement() % 9) + "-01T00:00:00Z", "--step-ms", "200"));
        all.addAll(List.of("--url", "http://127.0.0.1:" + port, "--token", TestCredentials.token(Role.ADMIN), "--family-prefix", "load-" + UUID.randomUUID().toString().substring(0, 8) + "-",
                "--verify"));
        if (!all.contains("--verify-timeout-s")) {
            all.addAll(List.of("--verify-timeout-s", "60"));
        }
        return LoadOptions.parse(all, System.nanoTime());
    }
}
