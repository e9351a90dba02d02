package dev.pulse.projection;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The SQL of a rebuild (SPEC §4.1): a replay writes every projection of the consumer group into a schema of
 * its own, then {@link #switchOver} puts its tables in place of the live ones in one transaction.
 * <p>
 * Rebuilt, and swapped: the tables the pipeline derives from the log alone, {@link #REBUILT_TABLES}. Kept:
 * every other table (the SSE log {@code detection_events}, so a client resuming with an old id neither
 * misses nor re-reads a change; Flyway's history; anything not derived from the log), and the rows of
 * {@code stream_checkpoints}, which are updated in place: their offsets, totals and event times become the
 * replay's and their owner epochs are raised, so every live owner's next checkpoint is refused (fencing) and
 * its pipeline rejoins, re-claims and restores from the rebuilt tables.
 * <p>
 * Every name is schema-qualified: the replay's own connections have the replay schema as their search path.
 * All answers are cold and error with the driver's exception.
 */
public final class ReplaySwitchover {

    /** The tables a replay rebuilds from the log and swaps in. */
    public static final List<String> REBUILT_TABLES = List.of("realtime_family_metrics", "realtime_event_counters",
            "realtime_pattern_detections", "late_events", "processed_events", "family_operator_state", "family_retained_events");

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String LIVE = "public";
    private static final Duration CATCH_UP_POLL = Duration.ofMillis(50);
    /** The checkpoint columns a replay recomputes; ownership, status and rate are the live row's. */
    private static final String CHECKPOINT_COLUMNS = """
            last_offset, last_event_id, last_event_timestamp, events_processed_total, duplicates_dropped, dead_lettered,
            late_events, processing_lag_seconds, stream_time, watermark""";

    private final DatabaseClient db;
    private final TransactionalOperator transactions;
    private final String consumerGroup;
    private final String topic;
    private final String replaySchema;

    public ReplaySwitchover(DatabaseClient db, TransactionalOperator transactions, String consumerGroup, String topic,
                            String replaySchema) {
        this.db = db;
        this.transactions = transactions;
        this.consumerGroup = consumerGroup;
        this.topic = topic;
        this.replaySchema = identifier(replaySchema);
        if (LIVE.equals(replaySchema)) {
            throw new IllegalArgumentException("the replay schema must not be the live one (public)");
        }
    }

    /** Checks a schema name before it is written into SQL: lower case letters, digits and {@code _}. */
    public static String identifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("schema name must match " + IDENTIFIER + ", was " + name);
        }
        return name;
    }

    /** The live checkpoints' last offsets by partition (-1: claimed, nothing processed yet). */
    public Mono<Map<Integer, Long>> liveOffsets() {
        return offsets(LIVE, false);
    }

    /** The replay's checkpoints' last offsets by partition (-1: claimed, nothing processed yet). */
    public Mono<Map<Integer, Long>> replayOffsets() {
        return offsets(replaySchema, false);
    }

    private Mono<Map<Integer, Long>> offsets(String schema, boolean lock) {
        return db.sql("select kafka_partition, coalesce(last_offset, -1) from " + schema + ".stream_checkpoints"
                        + " where consumer_group = $1 and topic = $2 order by kafka_partition" + (lock ? " for update" : ""))
                .bind(0, consumerGroup)
                .bind(1, topic)
                .map(row -> Map.entry(row.get(0, Integer.class), row.get(1, Long.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new)
                .map(Map::copyOf);
    }

    /**
     * One transaction: locks the live checkpoint rows (in partition order, as claims do, so the two cannot
     * deadlock), so no live checkpoint commits from here on; tells {@code onLocked} their offsets (the replay
     * may now go exactly that far); waits until the replay's checkpoints stand at exactly those offsets (at most
     * {@code catchUp}, else it errors and everything rolls back); then moves the live {@link #REBUILT_TABLES}
     * into schema {@code backupSchema} and the replay's into {@code public}, carries over what users did to
     * detections (action columns) and when each was first created, updates the live checkpoint rows from the
     * replay's and raises their owner epochs, and drops the replay schema. Answers the offsets it switched at.
     * <p>
     * A live checkpoint that was waiting for a row lock reads the row again once this commits (READ COMMITTED
     * re-checks a locked row's newest version), sees the raised epoch and rolls back.
     */
    public Mono<Map<Integer, Long>> switchOver(Function<Map<Integer, Long>, Mono<Void>> onLocked, Duration catchUp,
                                               String backupSchema, String owner, Instant now, Scheduler scheduler) {
        String backup = identifier(backupSchema);
        Mono<Map<Integer, Long>> work = offsets(LIVE, true).flatMap(locked -> onLocked.apply(locked)
                .then(awaitReplayAt(locked, catchUp, scheduler))
                .then(swap(backup, owner, now))
                .thenReturn(locked));
        return transactions.transactional(work);
    }

    private Mono<Void> awaitReplayAt(Map<Integer, Long> locked, Duration catchUp, Scheduler scheduler) {
        return replayOffsets()
                .filter(replay -> locked.entrySet().stream().allMatch(e -> Objects.equals(replay.get(e.getKey()), e.getValue())))
                .repeatWhenEmpty(repeats -> repeats.delayElements(CATCH_UP_POLL, scheduler))
                .timeout(catchUp, scheduler)
                .onErrorMap(java.util.concurrent.TimeoutException.class, e -> new IllegalStateException(
                        "the replay did not reach the live offsets " + locked + " within " + catchUp))
                .then();
    }

    private Mono<Void> swap(String backup, String owner, Instant now) {
        String replay = replaySchema;
        StringBuilder ddl = new StringBuilder("create schema " + backup + ";\n");
        for (String table : REBUILT_TABLES) {
            ddl.append("alter table ").append(LIVE).append('.').append(table).append(" set schema ").append(backup).append(";\n");
            ddl.append("alter table ").append(replay).append('.').append(table).append(" set schema ").append(LIVE).append(";\n");
        }
        ddl.append("create table ").append(backup).append(".stream_checkpoints as select * from ").append(LIVE)
                .append(".stream_checkpoints;\n");
        Mono<Void> moveTables = Flux.fromArray(ddl.toString().split(";\n"))
                .concatMap(statement -> db.sql(statement).then())
                .then();
        Mono<Void> keepDetectionHistory = db.sql("""
                        update public.realtime_pattern_detections n
                           set created_at = o.created_at, action_type = o.action_type, action_result = o.action_result,
                               actioned_at = o.actioned_at
                          from %s.realtime_pattern_detections o
                         where o.detection_id = n.detection_id""".formatted(backup))
                .then();
        Mono<Void> checkpoints = db.sql("""
                        update public.stream_checkpoints c
                           set (%1$s) = (select %1$s from %2$s.stream_checkpoints r
                                          where r.consumer_group = c.consumer_group and r.topic = c.topic
                                            and r.kafka_partition = c.kafka_partition),
                               status = 'running', last_error = null
                         where c.consumer_group = $1 and c.topic = $2
                           and exists (select 1 from %2$s.stream_checkpoints r where r.consumer_group = c.consumer_group
                                          and r.topic = c.topic and r.kafka_partition = c.kafka_partition)"""
                        .formatted(CHECKPOINT_COLUMNS, replay))
                .bind(0, consumerGroup)
                .bind(1, topic)
                .then()
                .then(db.sql("""
                                insert into public.stream_checkpoints (consumer_group, topic, kafka_partition, %1$s,
                                       owner_instance, owner_epoch, updated_date)
                                select consumer_group, topic, kafka_partition, %1$s, $3, 0, $4
                                  from %2$s.stream_checkpoints r
                                 where r.consumer_group = $1 and r.topic = $2
                                   and not exists (select 1 from public.stream_checkpoints c where c.consumer_group = r.consumer_group
                                                     and c.topic = r.topic and c.kafka_partition = r.kafka_partition)"""
                                .formatted(CHECKPOINT_COLUMNS, replay))
                        .bind(0, consumerGroup).bind(1, topic).bind(2, owner).bind(3, now)
                        .then())
                // Fencing: every live owner's next checkpoint is refused, and its pipeline rejoins and restores.
                .then(db.sql("""
                                update public.stream_checkpoints
                                   set owner_epoch = owner_epoch + 1, owner_instance = $3, updated_date = $4
                                 where consumer_group = $1 and topic = $2""")
                        .bind(0, consumerGroup).bind(1, topic).bind(2, owner).bind(3, now)
                        .then());
        return moveTables
                .then(keepDetectionHistory)
                .then(checkpoints)
                .then(db.sql("drop schema " + replay + " cascade").then());
    }
}
