package dev.pulse.projection;

import dev.pulse.event.Event;
import dev.pulse.family.FamilyMetrics;
import dev.pulse.family.FamilyState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The writes of one micro-batch of one partition. Every method is one statement whatever the batch
 * size ({@code unnest} over arrays, STACK.md); the caller runs them inside one transaction, so that a
 * batch's dedup ids, state, projections and offset commit together or not at all (SPEC §4).
 * All answers are cold {@code Mono}s that error with the driver's exception.
 */
public final class ProjectionWriter {

    private final DatabaseClient db;
    private final String consumerGroup;
    private final String topic;

    public ProjectionWriter(DatabaseClient db, String consumerGroup, String topic) {
        this.db = db;
        this.consumerGroup = consumerGroup;
        this.topic = topic;
    }

    /**
     * Records the events' ids as processed; answers the ids that were new. Ids already stored (from an
     * earlier batch, a replay or another request) are the duplicates of SPEC §1.4.
     *
     * @param offsets the log offset of each event, index-aligned with {@code events}
     */
    public Mono<Set<String>> claimEventIds(int partition, List<Event> events, List<Long> offsets, Instant now) {
        if (events.isEmpty()) {
            return Mono.just(Set.of());
        }
        String[] ids = new String[events.size()];
        String[] times = new String[events.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = events.get(i).eventId();
            times[i] = Sql.iso(events.get(i).eventTimestamp());
        }
        return db.sql("""
                        insert into processed_events (event_id, kafka_partition, kafka_offset, event_timestamp, processed_at)
                        select u.event_id, $2, u.kafka_offset, u.event_timestamp, $5
                          from unnest($1::text[], $3::bigint[], $4::text[]::timestamptz[]) as u(event_id, kafka_offset, event_timestamp)
                        on conflict (event_id) do nothing
                        returning event_id""")
                .bind(0, ids)
                .bind(1, partition)
                .bind(2, offsets.toArray(Long[]::new))
                .bind(3, times)
                .bind(4, now)
                .map(row -> row.get(0, String.class))
                .all()
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The stored states of these families; families never seen are absent. */
    public Mono<Map<String, FamilyState>> loadStates(Collection<String> familyIds) {
        if (familyIds.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.sql("select family_id, state from family_operator_state where family_id = any($1::text[])")
                .bind(0, familyIds.toArray(String[]::new))
                .map(row -> {
                    String id = row.get(0, String.class);
                    return FamilyStateCodec.decode(id, toBytes(row.get(1)));
                })
                .all()
                .collectMap(FamilyState::familyId, s -> s, HashMap::new);
    }

    public Mono<Void> upsertStates(int partition, Collection<FamilyState> states, Instant now) {
        if (states.isEmpty()) {
            return Mono.empty();
        }
        List<String> ids = new ArrayList<>(states.size());
        List<String> encoded = new ArrayList<>(states.size());
        for (FamilyState state : states) {
            ids.add(state.familyId());
            encoded.add(Base64.getEncoder().encodeToString(FamilyStateCodec.encode(state)));
        }
        return db.sql("""
                        insert into family_operator_state (family_id, kafka_partition, state, updated_at)
                        select u.family_id, $2, decode(u.state, 'base64'), $4
                          from unnest($1::text[], $3::text[]) as u(family_id, state)
                        on conflict (family_id) do update
                           set kafka_partition = excluded.kafka_partition, state = excluded.state, updated_at = excluded.updated_at""")
                .bind(0, ids.toArray(String[]::new))
                .bind(1, partition)
                .bind(2, encoded.toArray(String[]::new))
                .bind(3, now)
                .then();
    }

    public Mono<Void> upsertMetrics(int partition, List<FamilyMetrics> metrics, Instant now) {
        if (metrics.isEmpty()) {
            return Mono.empty();
        }
        int n = metrics.size();
        String[] ids = new String[n];
        Integer[] scores = new Integer[n];
        Integer[] last7 = new Integer[n];
        String[] levels = new String[n];
        Integer[] ranks = new Integer[n];
        String[] reasons = new String[n];
        Long[] processed = new Long[n];
        String[] lastEvent = new String[n];
        String[] asOf = new String[n];
        for (int i = 0; i < n; i++) {
            FamilyMetrics m = metrics.get(i);
            ids[i] = m.familyId();
            scores[i] = m.currentEngagementScore();
            last7[i] = m.eventsLast7Days();
            levels[i] = m.alertLevel().wireName();
            ranks[i] = m.alertLevel().rank();
            reasons[i] = m.alertReason();
            processed[i] = m.eventsProcessed();
            lastEvent[i] = Sql.iso(m.lastEventTimestamp());
            asOf[i] = Sql.iso(m.asOf());
        }
        return db.sql("""
                        insert into realtime_family_metrics (family_id, kafka_partition, current_engagement_score,
                               events_last_7_days, alert_level, alert_rank, alert_reason, events_processed,
                               last_event_timestamp, as_of, last_updated)
                        select u.family_id, $2, u.score, u.last7, u.level, u.rank, u.reason, u.processed,
                               u.last_event, u.as_of, $11
                          from unnest($1::text[], $3::int[], $4::int[], $5::text[], $6::smallint[], $7::text[],
                                      $8::bigint[], $9::text[]::timestamptz[], $10::text[]::timestamptz[])
                               as u(family_id, score, last7, level, rank, reason, processed, last_event, as_of)
                        on conflict (family_id) do update set
                               kafka_partition = excluded.kafka_partition,
                               current_engagement_score = excluded.current_engagement_score,
                               events_last_7_days = excluded.events_last_7_days,
                               alert_level = excluded.alert_level,
                               alert_rank = excluded.alert_rank,
                               alert_reason = excluded.alert_reason,
                               events_processed = excluded.events_processed,
                               last_event_timestamp = excluded.last_event_timestamp,
                               as_of = excluded.as_of,
                               last_updated = excluded.last_updated""")
                .bind(0, ids)
                .bind(1, partition)
                .bind(2, scores)
                .bind(3, last7)
                .bind(4, levels)
                .bind(5, ranks)
                .bind(6, reasons)
                .bind(7, processed)
                .bind(8, lastEvent)
                .bind(9, asOf)
                .bind(10, now)
                .then();
    }

    /** Moves the partition's checkpoint past the batch and adds its counts to the totals. */
    public Mono<Void> writeCheckpoint(BatchOutcome outcome, Instant now) {
        Event last = outcome.lastEvent();
        Double lagSeconds = last == null ? null : (now.toEpochMilli() - last.eventTimestamp().toEpochMilli()) / 1000.0;
        var spec = db.sql("""
                        insert into stream_checkpoints (consumer_group, topic, kafka_partition, last_offset, last_event_id,
                               last_event_timestamp, events_processed_total, duplicates_dropped, dead_lettered,
                               processing_lag_seconds, stream_time, watermark, status, last_error, updated_date)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'running', null, $13)
                        on conflict (consumer_group, topic, kafka_partition) do update set
                               last_offset = excluded.last_offset,
                               last_event_id = coalesce(excluded.last_event_id, stream_checkpoints.last_event_id),
                               last_event_timestamp = coalesce(excluded.last_event_timestamp, stream_checkpoints.last_event_timestamp),
                               events_processed_total = stream_checkpoints.events_processed_total + excluded.events_processed_total,
                               duplicates_dropped = stream_checkpoints.duplicates_dropped + excluded.duplicates_dropped,
                               dead_lettered = stream_checkpoints.dead_lettered + excluded.dead_lettered,
                               processing_lag_seconds = coalesce(excluded.processing_lag_seconds, stream_checkpoints.processing_lag_seconds),
                               stream_time = coalesce(excluded.stream_time, stream_checkpoints.stream_time),
                               watermark = coalesce(excluded.watermark, stream_checkpoints.watermark),
                               status = 'running',
                               last_error = null,
                               updated_date = excluded.updated_date""")
                .bind(0, consumerGroup)
                .bind(1, topic)
                .bind(2, outcome.partition())
                .bind(3, outcome.lastOffset());
        spec = Sql.bindNullable(spec, 4, last == null ? null : last.eventId(), String.class);
        spec = Sql.bindNullable(spec, 5, last == null ? null : last.eventTimestamp(), Instant.class);
        spec = spec.bind(6, outcome.processed()).bind(7, outcome.duplicates()).bind(8, outcome.deadLettered());
        spec = Sql.bindNullable(spec, 9, lagSeconds, Double.class);
        spec = Sql.bindNullable(spec, 10, outcome.streamTime(), Instant.class);
        spec = Sql.bindNullable(spec, 11, outcome.watermark(), Instant.class);
        return spec.bind(12, now).then();
    }

    /** Where each of these partitions resumes; partitions without a checkpoint are absent. */
    public Mono<Map<Integer, PartitionCheckpoint>> loadCheckpoints(Set<Integer> partitions) {
        return db.sql("""
                        select kafka_partition, last_offset, stream_time from stream_checkpoints
                         where consumer_group = $1 and topic = $2 and kafka_partition = any($3::int[]) and last_offset is not null""")
                .bind(0, consumerGroup)
                .bind(1, topic)
                .bind(2, partitions.toArray(Integer[]::new))
                .map(row -> {
                    Instant streamTime = row.get(2, Instant.class);
                    return new PartitionCheckpoint(row.get(0, Integer.class), row.get(1, Long.class) + 1,
                            streamTime == null ? dev.pulse.stream.time.StreamTime.NONE : new dev.pulse.stream.time.StreamTime(streamTime));
                })
                .all()
                .collectMap(PartitionCheckpoint::partition);
    }

    private static byte[] toBytes(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof java.nio.ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
        throw new IllegalStateException("unexpected bytea value " + (value == null ? null : value.getClass()));
    }

}
