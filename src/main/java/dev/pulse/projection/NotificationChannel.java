package dev.pulse.projection;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * One PostgreSQL LISTEN/NOTIFY channel. {@link #notify} runs inside the caller's transaction, so its
 * payloads reach listeners exactly when, and only if, that transaction commits, in commit order
 * (PostgreSQL documents both); {@link #listen} holds a connection of its own, outside the pool, for
 * as long as it is subscribed.
 */
public final class NotificationChannel {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final DatabaseClient db;
    private final ConnectionFactory listenerConnections;
    private final String name;

    /**
     * @param listenerConnections unpooled: a listening connection is never handed back to a pool, where
     *                            another user would inherit its LISTEN
     * @param name                lower case letters, digits and {@code _}, at most 63 (an unquoted identifier)
     */
    public NotificationChannel(DatabaseClient db, ConnectionFactory listenerConnections, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("channel name must match " + NAME + ", was " + name);
        }
        this.db = db;
        this.listenerConnections = listenerConnections;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /**
     * Queues the payloads (each shorter than 8000 bytes) in one statement; meant to run inside a
     * transaction, whose commit delivers them and whose rollback discards them. Cold.
     */
    public Mono<Void> notify(List<String> payloads) {
        if (payloads.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("select pg_notify($1, p) from unnest($2::text[]) as p")
                .bind(0, name)
                .bind(1, PgArray.text(payloads.toArray(String[]::new)))
                .then();
    }

    /**
     * Cold; each subscription opens a connection, subscribes to its notifications, then issues LISTEN,
     * and answers the payloads of this channel as they arrive (hot from then on). {@code onListening}
     * runs once LISTEN has taken effect: nothing committed before that moment is delivered.
     * Never completes on its own; cancelling closes the connection. Errors when the connection is lost
     * or fails the heartbeat ({@code select 1} every {@code heartbeat}, answered within it: a silent
     * network partition must not look like a quiet stream), or when more than {@code maxPending}
     * notifications wait for a slow subscriber (the driver drops what a subscriber cannot take, so
     * falling behind is surfaced rather than silently losing notifications).
     */
    public Flux<String> listen(int maxPending, Duration heartbeat, Scheduler timer, Runnable onListening) {
        return Flux.usingWhen(
                Mono.from(listenerConnections.create()).map(NotificationChannel::postgres),
                connection -> {
                    Flux<String> payloads = connection.getNotifications()
                            .onBackpressureBuffer(maxPending)
                            .filter(n -> name.equals(n.getName()))
                            .map(n -> n.getParameter() == null ? "" : n.getParameter());
                    Mono<Void> listen = connection.createStatement("LISTEN " + name).execute()
                            .flatMap(PostgresqlResult::getRowsUpdated)
                            .then(Mono.fromRunnable(onListening));
                    Flux<String> beats = Flux.interval(heartbeat, heartbeat, timer)
                            .onBackpressureDrop()
                            .concatMap(tick -> connection.createStatement("select 1").execute()
                                    .flatMap(r -> r.map((row, meta) -> 1))
                                    .then()
                                    .timeout(heartbeat, timer), 1)
                            .thenMany(Flux.empty());
                    // Notifications first: the driver drops what arrives while nobody is subscribed.
                    return Flux.merge(payloads, listen.thenMany(beats));
                },
                Connection::close);
    }

    private static PostgresqlConnection postgres(Connection connection) {
        if (connection instanceof PostgresqlConnection postgres) {
            return postgres;
        }
        throw new IllegalStateException("LISTEN needs r2dbc-postgresql's connection, got " + connection.getClass().getName());
    }
}
