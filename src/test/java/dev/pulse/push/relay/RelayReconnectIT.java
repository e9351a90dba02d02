package dev.pulse.push.relay;

import static dev.pulse.support.RecentDay.at;
import dev.pulse.support.RecentDay;
import dev.pulse.support.TestCredentials;
import static dev.pulse.support.EventBodies.login;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.projection.FamilyMetricsRow;
import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The fan-out relay against the real PostgreSQL: announcements far above the 8000-byte payload limit
 * arrive whole, a rolled-back announcement never arrives, and the listener survives losing its
 * connection: it listens again on a fresh one, tells dashboards to resync (updates committed in between
 * never reached it), and live updates flow again.
 */
class RelayReconnectIT extends PulseIT {

    /** Snapshots and batch frames can exceed Netty's 64 KiB default frame size (README: clients must accept them). */
    private static final Supplier<WebsocketClientSpec.Builder> LARGE_FRAMES =
            () -> WebsocketClientSpec.builder().maxFramePayloadLength(64 * 1024 * 1024);

    private static final Instant T = RecentDay.instant(0, "09:00:00");

    @Autowired
    UpdateRelay relay;
    @Autowired
    ReactiveTransactionManager transactions;

    @Test
    void shouldDeliverAnAnnouncementOfManyChunksWholeToDashboardsOnCommitAndNothingOnRollback() {
        Queue<String> frames = new ConcurrentLinkedQueue<>();
        Disposable socket = connect(frames);
        try {
            // about 300 kB of rows with multi-byte names: dozens of payloads, cut inside the text
            String prefix = uniqueFamily("größe-");
            List<FamilyMetricsRow> rows = IntStream.range(0, 600).mapToObj(i -> row(prefix + "-" + i + "-€".repeat(20))).toList();
            String rolledBack = uniqueFamily("rolled-back");
            TransactionalOperator tx = TransactionalOperator.create(transactions);

            StepVerifier.create(tx.transactional(relay.announce(new CommittedUpdates(List.of(row(rolledBack)), List.of()))
                            .then(Mono.error(new IllegalStateException("the checkpoint fails after announcing")))))
                    .expectErrorMessage("the checkpoint fails after announcing")
                    .verify(Duration.ofSeconds(10));
            tx.transactional(relay.announce(new CommittedUpdates(rows, List.of()))).block(Duration.ofSeconds(10));

            String frame = Poll.until(Duration.ofSeconds(30), "the large metrics frame",
                    () -> frames.stream().filter(f -> f.contains("\"type\":\"metrics\"") && f.contains(prefix)).findFirst().orElse(null));
            assertThat(rows).allSatisfy(r -> assertThat(frame).contains("\"family_id\":\"" + r.familyId() + "\""));
            assertThat(frames).as("the rolled-back announcement, sent before the committed one").noneMatch(f -> f.contains(rolledBack));
        } finally {
            socket.dispose();
        }
    }

    @Test
    void shouldListenAgainAndSendResyncWithAFreshSnapshotWhenTheListeningConnectionIsKilled() {
        Queue<String> frames = new ConcurrentLinkedQueue<>();
        Disposable socket = connect(frames);
        try {
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
                    .bodyValue(login(uniqueId("l"), family, at("11:00:00")))
                    .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
            Poll.until(Duration.ofSeconds(60), "a live update after the reconnect",
                    () -> frames.stream().anyMatch(f -> f.contains("\"type\":\"metrics\"") && f.contains(family)) ? true : null);
        } finally {
            socket.dispose();
        }
    }

    /** A dashboard client whose snapshot has arrived, so it is subscribed to the hub. */
    private Disposable connect(Queue<String> frames) {
        Disposable socket = new ReactorNettyWebSocketClient(HttpClient.create(), LARGE_FRAMES)
                .execute(URI.create("ws://127.0.0.1:" + port + "/ws/dashboard"), TestCredentials.adminHeaders(),
                        session -> session.receive().map(WebSocketMessage::getPayloadAsText).doOnNext(frames::add).then())
                .subscribe();
        Poll.until(Duration.ofSeconds(30), "the snapshot", () -> frames.stream().anyMatch(f -> f.contains("\"type\":\"snapshot\"")) ? true : null);
        return socket;
    }

    private static FamilyMetricsRow row(String family) {
        return new FamilyMetricsRow(family, 50, "stable", 0, new BigDecimal("50.00"), null, 1, 0, 0, "watch", "score 50 < 70",
                T, 1, T, T, T, null, null, null);
    }
}
