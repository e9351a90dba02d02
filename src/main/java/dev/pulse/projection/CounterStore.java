package dev.pulse.projection;

import dev.pulse.event.Event;
import dev.pulse.stream.window.CounterChanges;
import dev.pulse.stream.window.CounterKey;
import dev.pulse.stream.window.CounterRow;
import dev.pulse.stream.window.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The counter writes of one micro-batch of one partition (SPEC §3.2, §3.5, §2 late events): rows of
 * {@code realtime_event_counters} and records of {@code late_events}. Each table is one statement whatever
 * the batch size ({@code unnest} over binary arrays, {@link PgArray}). The caller runs {@link #write} inside the batch's
 * checkpoint transaction (SPEC §4). Answers are cold {@code Mono}s that complete empty when written and
 * error with the driver's exception.
 */
public final class CounterStore {

    private final DatabaseClient db;

    public CounterStore(DatabaseClient db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /**
     * Applies {@code changes} in sequence: deletes (merged sessions, shifted count windows), then upserts by
     * primary key (family, window start, window type, size, event type), then one {@code late_events} row per
     * {@link Outcome.Late}. {@link CounterChanges} makes deletes and upserts address disjoint rows, so the
     * order only matters for readers outside the transaction, who see none of it before commit.
     *
     * @param offsetsByEventId the log offset of each event of the batch; a late event without one (it did
     *                         not come from the log) is recorded with offset {@code -1}
     * @param now              wall clock: {@code updated_at} of rows, {@code recorded_at} of late records
     */
    public Mono<Void> write(CounterChanges changes, int partition, Map<String, Long> offsetsByEventId, Instant now) {
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(offsetsByEventId, "offsetsByEventId");
        Objects.requireNonNull(now, "now");
        return delete(changes.deletes())
                .then(upsert(changes.upserts(), now))
                .then(recordLate(changes.lates(), partition, offsetsByEventId, now));
    }

    private Mono<Void> delete(List<CounterKey> keys) {
        if (keys.isEmpty()) {
            return Mono.empty();
        }
        int n = keys.size();
        PgArray.Builder families = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder types = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder sizes = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder eventTypes = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder starts = PgArray.builder(PgArray.Type.TIMESTAMPTZ, n);
        for (CounterKey key : keys) {
            families.add(key.familyId());
            types.add(key.windowType());
            sizes.add(key.size());
            eventTypes.add(key.eventType());
            starts.add(key.window().start());
        }
        return db.sql("""
                        delete from realtime_event_counters c
                         using unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
                               as d(family_id, window_type, window_size, event_type, window_start)
                         where c.family_id = d.family_id and c.window_type = d.window_type
                           and c.window_size = d.window_size and c.event_type = d.event_type
                           and c.window_start = d.window_start""")
                .bind(0, families.build())
                .bind(1, types.build())
                .bind(2, sizes.build())
                .bind(3, eventTypes.build())
                .bind(4, starts.build())
                .then();
    }

    private Mono<Void> upsert(List<CounterRow> rows, Instant now) {
        if (rows.isEmpty()) {
            return Mono.empty();
        }
        int n = rows.size();
        PgArray.Builder families = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder types = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder sizes = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder eventTypes = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder starts = PgArray.builder(PgArray.Type.TIMESTAMPTZ, n);
        PgArray.Builder ends = PgArray.builder(PgArray.Type.TIMESTAMPTZ, n);
        PgArray.Builder counts = PgArray.builder(PgArray.Type.INT8, n);
        PgArray.Builder sums = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder avgs = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder mins = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder maxs = PgArray.builder(PgArray.Type.TEXT, n);
        for (CounterRow row : rows) {
            CounterKey key = row.key();
            families.add(key.familyId());
            types.add(key.windowType());
            sizes.add(key.size());
            eventTypes.add(key.eventType());
            starts.add(key.window().start());
            ends.add(key.window().end());
            counts.add(row.eventCount());
            sums.add(Sql.plain(row.sum()));
            avgs.add(Sql.plain(row.avg()));
            mins.add(Sql.plain(row.min()));
            maxs.add(Sql.plain(row.max()));
        }
        return db.sql("""
                        insert into realtime_event_counters (family_id, window_type, window_size, event_type, window_start,
                               window_end, event_count, sum_value, avg_value, min_value, max_value, updated_at)
                        select u.family_id, u.window_type, u.window_size, u.event_type, u.window_start, u.window_end,
                               u.event_count, u.sum_value, u.avg_value, u.min_value, u.max_value, $12
                          from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],
                                      $6::timestamptz[], $7::bigint[], $8::text[]::numeric[], $9::text[]::numeric[],
                                      $10::text[]::numeric[], $11::text[]::numeric[])
                               as u(family_id, window_type, window_size, event_type, window_start, window_end,
                                    event_count, sum_value, avg_value, min_value, max_value)
                        on conflict (family_id, window_type, window_size, event_type, window_start) do update set
                               window_end = excluded.window_end,
                               event_count = excluded.event_count,
                               sum_value = excluded.sum_value,
                               avg_value = excluded.avg_value,
                               min_value = excluded.min_value,
                               max_value = excluded.max_value,
                               updated_at = excluded.updated_at""")
                .bind(0, families.build())
                .bind(1, types.build())
                .bind(2, sizes.build())
                .bind(3, eventTypes.build())
                .bind(4, starts.build())
                .bind(5, ends.build())
                .bind(6, counts.build())
                .bind(7, sums.build())
                .bind(8, avgs.build())
                .bind(9, mins.build())
                .bind(10, maxs.build())
                .bind(11, now)
                .then();
    }

    private Mono<Void> recordLate(List<Outcome.Late> lates, int partition, Map<String, Long> offsetsByEventId, Instant now) {
        if (lates.isEmpty()) {
            return Mono.empty();
        }
        int n = lates.size();
        PgArray.Builder eventIds = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder families = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder eventTypes = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder eventTimes = PgArray.builder(PgArray.Type.TIMESTAMPTZ, n);
        PgArray.Builder types = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder sizes = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder starts = PgArray.builder(PgArray.Type.TIMESTAMPTZ, n);
        PgArray.Builder ends = PgArray.builder(PgArray.Type.TIMESTAMPTZ, n);
        PgArray.Builder watermarks = PgArray.builder(PgArray.Type.TIMESTAMPTZ, n);
        PgArray.Builder offsets = PgArray.builder(PgArray.Type.INT8, n);
        for (Outcome.Late late : lates) {
            Event event = late.event();
            eventIds.add(event.eventId());
            families.add(event.aggregateId());
            eventTypes.add(event.eventType());
            eventTimes.add(event.eventTimestamp());
            types.add(late.spec().type());
            sizes.add(late.spec().sizeLabel());
            starts.add(late.window().start());
            ends.add(late.window().end());
            // A Late needs W ≥ the window's end, so its watermark is never Watermark.NONE (Instant.MIN).
            watermarks.add(late.watermark().instant());
            offsets.add(offsetsByEventId.getOrDefault(event.eventId(), -1L));
        }
        return db.sql("""
                        insert into late_events (event_id, family_id, event_type, event_timestamp, window_type, window_size,
                               window_start, window_end, watermark, kafka_partition, kafka_offset, recorded_at)
                        select u.event_id, u.family_id, u.event_type, u.event_timestamp, u.window_type, u.window_size,
                               u.window_start, u.window_end, u.watermark, $11, u.kafka_offset, $12
                          from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[],
                                      $7::timestamptz[], $8::timestamptz[], $9::timestamptz[], $10::bigint[])
                               with ordinality
                               as u(event_id, family_id, event_type, event_timestamp, window_type, window_size,
                                    window_start, window_end, watermark, kafka_offset, ord)
                         order by u.ord""")
                .bind(0, eventIds.build())
                .bind(1, families.build())
                .bind(2, eventTypes.build())
                .bind(3, eventTimes.build())
                .bind(4, types.build())
                .bind(5, sizes.build())
                .bind(6, starts.build())
                .bind(7, ends.build())
                .bind(8, watermarks.build())
                .bind(9, offsets.build())
                .bind(10, partition)
                .bind(11, now)
                .then();
    }
}
