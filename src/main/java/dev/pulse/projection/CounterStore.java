package dev.pulse.projection;

import dev.pulse.event.Event;
import dev.pulse.stream.window.Aggregate;
import dev.pulse.stream.window.CounterChanges;
import dev.pulse.stream.window.CounterKey;
import dev.pulse.stream.window.CounterRow;
import dev.pulse.stream.window.Outcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The counter writes of one micro-batch of one partition (SPEC §3.2, §3.5, §2 late events): rows of
 * {@code realtime_event_counters} and records of {@code late_events}. Each table is one statement whatever
 * the batch size ({@code unnest} over arrays, STACK.md). The caller runs {@link #write} inside the batch's
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
     * primary key (family, window type, size, event type, window start), then one {@code late_events} row per
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
        String[] families = new String[n];
        String[] types = new String[n];
        String[] sizes = new String[n];
        String[] eventTypes = new String[n];
        String[] starts = new String[n];
        for (int i = 0; i < n; i++) {
            CounterKey key = keys.get(i);
            families[i] = key.familyId();
            types[i] = key.windowType();
            sizes[i] = key.size();
            eventTypes[i] = key.eventType();
            starts[i] = Sql.iso(key.window().start());
        }
        return db.sql("""
                        delete from realtime_event_counters c
                         using unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]::timestamptz[])
                               as d(family_id, window_type, window_size, event_type, window_start)
                         where c.family_id = d.family_id and c.window_type = d.window_type
                           and c.window_size = d.window_size and c.event_type = d.event_type
                           and c.window_start = d.window_start""")
                .bind(0, families)
                .bind(1, types)
                .bind(2, sizes)
                .bind(3, eventTypes)
                .bind(4, starts)
                .then();
    }

    private Mono<Void> upsert(List<CounterRow> rows, Instant now) {
        if (rows.isEmpty()) {
            return Mono.empty();
        }
        int n = rows.size();
        String[] families = new String[n];
        String[] types = new String[n];
        String[] sizes = new String[n];
        String[] eventTypes = new String[n];
        String[] starts = new String[n];
        String[] ends = new String[n];
        Long[] counts = new Long[n];
        BigDecimal[] sums = new BigDecimal[n];
        BigDecimal[] avgs = new BigDecimal[n];
        BigDecimal[] mins = new BigDecimal[n];
        BigDecimal[] maxs = new BigDecimal[n];
        Boolean[] finals = new Boolean[n];
        for (int i = 0; i < n; i++) {
            CounterRow row = rows.get(i);
            CounterKey key = row.key();
            Aggregate aggregate = row.aggregate();
            families[i] = key.familyId();
            types[i] = key.windowType();
            sizes[i] = key.size();
            eventTypes[i] = key.eventType();
            starts[i] = Sql.iso(key.window().start());
            ends[i] = Sql.iso(key.window().end());
            counts[i] = aggregate.eventCount();
            sums[i] = aggregate.sum();
            avgs[i] = aggregate.avg();
            mins[i] = aggregate.min();
            maxs[i] = aggregate.max();
            finals[i] = row.isFinal();
        }
        return db.sql("""
                        insert into realtime_event_counters (family_id, window_type, window_size, event_type, window_start,
                               window_end, event_count, sum_value, avg_value, min_value, max_value, is_final, updated_at)
                        select u.family_id, u.window_type, u.window_size, u.event_type, u.window_start, u.window_end,
                               u.event_count, u.sum_value, u.avg_value, u.min_value, u.max_value, u.is_final, $13
                          from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]::timestamptz[],
                                      $6::text[]::timestamptz[], $7::bigint[], $8::numeric[], $9::numeric[], $10::numeric[],
                                      $11::numeric[], $12::boolean[])
                               as u(family_id, window_type, window_size, event_type, window_start, window_end,
                                    event_count, sum_value, avg_value, min_value, max_value, is_final)
                        on conflict (family_id, window_type, window_size, event_type, window_start) do update set
                               window_end = excluded.window_end,
                               event_count = excluded.event_count,
                               sum_value = excluded.sum_value,
                               avg_value = excluded.avg_value,
                               min_value = excluded.min_value,
                               max_value = excluded.max_value,
                               is_final = excluded.is_final,
                               updated_at = excluded.updated_at""")
                .bind(0, families)
                .bind(1, types)
                .bind(2, sizes)
                .bind(3, eventTypes)
                .bind(4, starts)
                .bind(5, ends)
                .bind(6, counts)
                .bind(7, sums)
                .bind(8, avgs)
                .bind(9, mins)
                .bind(10, maxs)
                .bind(11, finals)
                .bind(12, now)
                .then();
    }

    private Mono<Void> recordLate(List<Outcome.Late> lates, int partition, Map<String, Long> offsetsByEventId, Instant now) {
        if (lates.isEmpty()) {
            return Mono.empty();
        }
        int n = lates.size();
        String[] eventIds = new String[n];
        String[] families = new String[n];
        String[] eventTypes = new String[n];
        String[] eventTimes = new String[n];
        String[] types = new String[n];
        String[] sizes = new String[n];
        String[] starts = new String[n];
        String[] ends = new String[n];
        String[] watermarks = new String[n];
        Long[] offsets = new Long[n];
        for (int i = 0; i < n; i++) {
            Outcome.Late late = lates.get(i);
            Event event = late.event();
            eventIds[i] = event.eventId();
            families[i] = event.aggregateId();
            eventTypes[i] = event.eventType();
            eventTimes[i] = Sql.iso(event.eventTimestamp());
            types[i] = late.spec().type();
            sizes[i] = late.spec().sizeLabel();
            starts[i] = Sql.iso(late.window().start());
            ends[i] = Sql.iso(late.window().end());
            // A Late needs W ≥ the window's end, so its watermark is never Watermark.NONE (Instant.MIN).
            watermarks[i] = Sql.iso(late.watermark().instant());
            offsets[i] = offsetsByEventId.getOrDefault(event.eventId(), -1L);
        }
        return db.sql("""
                        insert into late_events (event_id, family_id, event_type, event_timestamp, window_type, window_size,
                               window_start, window_end, watermark, kafka_partition, kafka_offset, recorded_at)
                        select u.event_id, u.family_id, u.event_type, u.event_timestamp, u.window_type, u.window_size,
                               u.window_start, u.window_end, u.watermark, $11, u.kafka_offset, $12
                          from unnest($1::text[], $2::text[], $3::text[], $4::text[]::timestamptz[], $5::text[], $6::text[],
                                      $7::text[]::timestamptz[], $8::text[]::timestamptz[], $9::text[]::timestamptz[],
                                      $10::bigint[])
                               with ordinality
                               as u(event_id, family_id, event_type, event_timestamp, window_type, window_size,
                                    window_start, window_end, watermark, kafka_offset, ord)
                         order by u.ord""")
                .bind(0, eventIds)
                .bind(1, families)
                .bind(2, eventTypes)
                .bind(3, eventTimes)
                .bind(4, types)
                .bind(5, sizes)
                .bind(6, starts)
                .bind(7, ends)
                .bind(8, watermarks)
                .bind(9, offsets)
                .bind(10, partition)
                .bind(11, now)
                .then();
    }
}
