package dev.pulse.projection;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The keyed operator state of a partition's families (SPEC §4), stored as it changes: each family's encoded
 * head in {@code family_operator_state}, rewritten when the family changes, and its retained events in
 * {@code family_retained_events}, one row each, inserted once and deleted by event-time range when the engine
 * prunes them. What a checkpoint writes therefore follows the batch, not the families' history. Encodings are
 * the caller's: this class stores bytes.
 * <p>
 * {@link #write} is at most three statements whatever the batch size ({@code unnest} over binary arrays, {@link PgArray}: the bodies travel as bytes, not hex text),
 * meant to run inside the batch's checkpoint transaction, so that state, projections and offset commit together
 * (SPEC §4). All answers are cold and error with the driver's exception.
 */
public final class FamilyStateStore {

    private final DatabaseClient db;

    public FamilyStateStore(DatabaseClient db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** A retained event as stored: its family, id and time in columns, the rest in {@code body}. */
    public record RetainedEvent(String familyId, String eventId, long eventMillis, byte[] body) {
        public RetainedEvent {
            Objects.requireNonNull(familyId, "familyId");
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(body, "body");
        }
    }

    /**
     * What one engine step changed in a partition's state.
     *
     * @param heads        the new encoded head of every family whose head changed, by family id
     * @param retained     the events newly retained (none of them stored yet)
     * @param prunedFrom   with {@code prunedBefore}: the retained events with a time in {@code [prunedFrom, prunedBefore)}
     *                     (epoch milliseconds) are forgotten; {@link Long#MIN_VALUE} when the range is open below
     * @param prunedBefore {@link #NOTHING_PRUNED} when nothing was pruned
     */
    public record Changes(Map<String, byte[]> heads, List<RetainedEvent> retained, long prunedFrom, long prunedBefore) {
        public static final long NOTHING_PRUNED = Long.MIN_VALUE;

        public Changes {
            heads = Map.copyOf(heads);
            retained = List.copyOf(retained);
            if (prunedBefore != NOTHING_PRUNED && prunedFrom >= prunedBefore) {
                throw new IllegalArgumentException("pruned range must be non-empty, was [" + prunedFrom + ", " + prunedBefore + ")");
            }
        }

        public boolean isEmpty() {
            return heads.isEmpty() && retained.isEmpty() && prunedBefore == NOTHING_PRUNED;
        }
    }

    /**
     * Applies {@code changes}: upserts the heads (moving a family to this partition if it was stored under
     * another), deletes the pruned range of this partition's retained events, inserts the new ones. A retained
     * event stored already is a primary-key violation: the engine hands over each event once.
     */
    public Mono<Void> write(int partition, Changes changes, Instant now) {
        Objects.requireNonNull(changes, "changes");
        return upsertHeads(partition, changes.heads(), now)
                .then(deletePruned(partition, changes.prunedFrom(), changes.prunedBefore()))
                .then(insertRetained(partition, changes.retained()));
    }

    private Mono<Void> upsertHeads(int partition, Map<String, byte[]> heads, Instant now) {
        if (heads.isEmpty()) {
            return Mono.empty();
        }
        PgArray.Builder ids = PgArray.builder(PgArray.Type.TEXT, heads.size());
        PgArray.Builder states = PgArray.builder(PgArray.Type.BYTEA, heads.size());
        for (Map.Entry<String, byte[]> head : heads.entrySet()) {
            ids.add(head.getKey());
            states.add(head.getValue());
        }
        return db.sql("""
                        insert into family_operator_state (family_id, kafka_partition, state, updated_at)
                        select u.family_id, $2, u.state, $4
                          from unnest($1::text[], $3::bytea[]) as u(family_id, state)
                        on conflict (family_id) do update
                           set kafka_partition = excluded.kafka_partition, state = excluded.state, updated_at = excluded.updated_at""")
                .bind(0, ids.build())
                .bind(1, partition)
                .bind(2, states.build())
                .bind(3, now)
                .then();
    }

    private Mono<Void> deletePruned(int partition, long from, long before) {
        if (before == Changes.NOTHING_PRUNED) {
            return Mono.empty();
        }
        // Bounded below as well: the range the index scan walks is what this step forgot, not every row deleted
        // before it that vacuum has not reclaimed yet.
        return db.sql("delete from family_retained_events where kafka_partition = $1 and event_ms >= $2 and event_ms < $3")
                .bind(0, partition)
                .bind(1, from)
                .bind(2, before)
                .then();
    }

    private Mono<Void> insertRetained(int partition, List<RetainedEvent> events) {
        if (events.isEmpty()) {
            return Mono.empty();
        }
        int n = events.size();
        PgArray.Builder times = PgArray.builder(PgArray.Type.INT8, n);
        PgArray.Builder ids = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder families = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder bodies = PgArray.builder(PgArray.Type.BYTEA, n);
        for (RetainedEvent e : events) {
            times.add(e.eventMillis());
            ids.add(e.eventId());
            families.add(e.familyId());
            bodies.add(e.body());
        }
        return db.sql("""
                        insert into family_retained_events (kafka_partition, event_ms, event_id, family_id, event)
                        select $1, u.event_ms, u.event_id, u.family_id, u.event
                          from unnest($2::bigint[], $3::text[], $4::text[], $5::bytea[]) as u(event_ms, event_id, family_id, event)""")
                .bind(0, partition)
                .bind(1, times.build())
                .bind(2, ids.build())
                .bind(3, families.build())
                .bind(4, bodies.build())
                .then();
    }

    /** Cold: every retained event stored for the partition, oldest first (by event time), then completes. */
    public Flux<RetainedEvent> retainedEvents(int partition) {
        return db.sql("select family_id, event_id, event_ms, event from family_retained_events where kafka_partition = $1"
                        + " order by event_ms")
                .bind(0, partition)
                .map(row -> new RetainedEvent(row.get(0, String.class), row.get(1, String.class), row.get(2, Long.class),
                        Bytes.of(row.get(3))))
                .all();
    }

    /** Cold: every family head stored for the partition, as (family id, encoded head), then completes. */
    public Flux<Map.Entry<String, byte[]>> heads(int partition) {
        return db.sql("select family_id, state from family_operator_state where kafka_partition = $1")
                .bind(0, partition)
                .map(row -> Map.entry(row.get(0, String.class), Bytes.of(row.get(1))))
                .all();
    }

    /** A {@code bytea} value as the driver hands it over. */
    private static final class Bytes {
        static byte[] of(Object value) {
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
}
