package dev.pulse.projection;

import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;

/** Reads of {@code realtime_event_counters} for REST (SPEC §5.1). Cold publishers. */
public final class CounterQueries {

    /**
     * A row is final when its partition's watermark, stored with every checkpoint in the same transaction as the
     * rows, has reached its window's end (SPEC §2); rows are not written again as their windows close. A family
     * whose partition has no watermark yet has no final row.
     */
    private static final String FROM = """
            select c.family_id, c.event_type, c.window_type, c.window_size, c.window_start, c.window_end, c.event_count,
                   c.sum_value, c.avg_value, c.min_value, c.max_value,
                   coalesce(c.window_end <= s.watermark, false) as is_final, c.updated_at
              from realtime_event_counters c
              left join realtime_family_metrics m on m.family_id = c.family_id
              left join stream_checkpoints s
                     on s.consumer_group = $1 and s.topic = $2 and s.kafka_partition = m.kafka_partition""";

    private final DatabaseClient db;
    private final String consumerGroup;
    private final String topic;

    /** @param consumerGroup and {@code topic}: whose checkpoints hold the partitions' watermarks */
    public CounterQueries(DatabaseClient db, String consumerGroup, String topic) {
        this.db = db;
        this.consumerGroup = consumerGroup;
        this.topic = topic;
    }

    /**
     * One page of counter rows, newest window first, then by window type, size and event type (a total
     * order: those are the primary key with the family). Null filters do not filter; {@code from} and
     * {@code to} bound {@code window_start} to {@code [from, to)}. Completes after the page; errors with the
     * driver's exception.
     */
    public Flux<CounterRowView> list(String familyId, String windowType, String size, String eventType,
                                     Instant from, Instant to, int limit, long offset) {
        List<String> where = new ArrayList<>();
        List<Object> args = new ArrayList<>(List.of(consumerGroup, topic));
        if (familyId != null) {
            args.add(familyId);
            where.add("c.family_id = $" + args.size());
        }
        if (windowType != null) {
            args.add(windowType);
            where.add("c.window_type = $" + args.size());
        }
        if (size != null) {
            args.add(size);
            where.add("c.window_size = $" + args.size());
        }
        if (eventType != null) {
            args.add(eventType);
            where.add("c.event_type = $" + args.size());
        }
        if (from != null) {
            args.add(from);
            where.add("c.window_start >= $" + args.size());
        }
        if (to != null) {
            args.add(to);
            where.add("c.window_start < $" + args.size());
        }
        args.add(limit);
        String limitArg = "$" + args.size();
        args.add(offset);
        String offsetArg = "$" + args.size();
        String sql = FROM
                + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
                + " order by c.window_start desc, c.window_type, c.window_size, c.event_type, c.family_id"
                + " limit " + limitArg + " offset " + offsetArg;
        var spec = db.sql(sql);
        for (int i = 0; i < args.size(); i++) {
            spec = spec.bind(i, args.get(i));
        }
        return spec.map(CounterQueries::row).all();
    }

    private static CounterRowView row(Readable r) {
        return new CounterRowView(
                r.get("family_id", String.class),
                r.get("event_type", String.class),
                r.get("window_type", String.class),
                r.get("window_size", String.class),
                r.get("window_start", Instant.class),
                r.get("window_end", Instant.class),
                r.get("event_count", Long.class),
                r.get("sum_value", BigDecimal.class),
                r.get("avg_value", BigDecimal.class),
                r.get("min_value", BigDecimal.class),
                r.get("max_value", BigDecimal.class),
                r.get("is_final", Boolean.class),
                r.get("updated_at", Instant.class));
    }
}
