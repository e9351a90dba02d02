package dev.pulse.push.relay;

import static dev.pulse.support.EventBodies.login;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;

/**
 * The fan-out listener survives losing its database connection: it listens again on a fresh one, tells
 * dashboards to resync (updates committed in between never reached it), and live updates flow again.
 */
class RelayReconnectIT extends PulseIT {

    @Autowired
    UpdateRelay relay;

    @Test
    void shouldListenAgainAndSendResyncWithAFreshSnapshotWhenTheListeningConnectionIsKilled() {
        Queue<String> frames = new ConcurrentLinkedQueue<>();
        Disposable socket = new ReactorNettyWebSocketClient()
                .execute(URI.create("ws://127.0.0.1:" + port + "/ws/dashboard"),
                        session -> session.receive().map(WebSocketMessage::getPayloadAsText).doOnNext(frames::add).then())
                .subscribe();
        try {
            Poll.until(Duration.ofSeconds(30), "the snapshot", () -> frames.stream().anyMatch(f -> f.contains("\"type\":\"snapshot\"")) ? true : null);
            long reconnectsBefore = relay.reconnects();

            // As a database restart or a network cut would: the server ends the listening session.
            Long killed = db.sql("""
                            select count(pg_terminate_backend(pid)) from pg_stat_activity
                             where application_name = 'pulse-relay' and datname = current_database()""")
                    .map(row -> row.get(0, Long.class)).one().block(Duration.ofSeconds(10));
            assertThat(killed).isPositive();

            Poll.until(Duration.ofSeconds(60), "the relay to listen again", () -> relay.reconnects() > reconnectsBefore ? true : null);
            List<String> afterResync = Poll.until(Duration.ofSeconds(30), "resync and a fresh snapshot", () -> {
                List<String> all = List.copyOf(frames);
                int resync = all.indexOf("{\"type\":\"resync\"}");
                return resync >= 0 && all.size() > resync + 1 ? all.subList(resync, all.size()) : null;
            });
            assertThat(afterResync.get(1)).contains("\"type\":\"snapshot\"");

            String family = uniqueFamily("after-reconnect");
            http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(login(uniqueId("l"), family, "2026-11-23T11:00:00Z"))
                    .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
            Poll.until(Duration.ofSeconds(60), "a live update after the reconnect",
                    () -> frames.stream().anyMatch(f -> f.contains("\"type\":\"metrics\"") && f.contains(family)) ? true : null);
        } finally {
            socket.dispose();
        }
    }
}
