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

    private static final String COLUMNS = """
            family_id, event_type, window_type, window_size, window_start, window_end, event_count, sum_value,
            avg_value, min_value, max_value, is_final, updated_at""";

    private final DatabaseClient db;

    public CounterQueries(DatabaseClient db) {
        this.db = db;
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
        List<Object> args = new ArrayList<>();
        if (familyId != null) {
            args.add(familyId);
            where.add("family_id = $" + args.size());
        }
        if (windowType != null) {
            args.add(windowType);
            where.add("window_type = $" + args.size());
        }
        if (size != null) {
            args.add(size);
            where.add("window_size = $" + args.size());
        }
        if (eventType != null) {
            args.add(eventType);
            where.add("event_type = $" + args.size());
        }
        if (from != null) {
            args.add(from);
            where.add("window_start >= $" + args.size());
        }
        if (to != null) {
            args.add(to);
            where.add("window_start < $" + args.size());
        }
        args.add(limit);
        String limitArg = "$" + args.size();
        args.add(offset);
        String offsetArg = "$" + args.size();
        String sql = "select " + COLUMNS + " from realtime_event_counters"
                + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
                + " order by window_start desc, window_type, window_size, event_type, family_id"
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
