package dev.pulse.projection;

import dev.pulse.family.AlertLevel;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads of {@code realtime_family_metrics} for REST, pages and snapshots. Cold publishers. */
public final class FamilyQueries {

    private static final String COLUMNS = """
            family_id, current_engagement_score, engagement_trend, engagement_change_7_days, engagement_7_day_avg,
            engagement_30_day_avg, events_last_7_days, logins_last_7_days, payments_last_7_days, alert_level,
            alert_reason, alert_since, events_processed, last_event_timestamp, as_of, last_updated, risk_score, risk_factors,
            model_version""";

    private final DatabaseClient db;

    public FamilyQueries(DatabaseClient db) {
        this.db = db;
    }

    /** One page of families; {@code level} null for all levels. */
    public Flux<FamilyMetricsRow> list(AlertLevel level, FamilySort.Order order, int limit, long offset) {
        // The order comes from a closed enum, never from request text, so it is safe to splice in.
        String where = level == null ? "" : " where alert_rank = $3";
        var spec = db.sql("select " + COLUMNS + " from realtime_family_metrics" + where
                        + " order by " + order.sql() + " limit $1 offset $2")
                .bind(0, limit)
                .bind(1, offset);
        if (level != null) {
            spec = spec.bind(2, (short) level.rank());
        }
        return spec.map(FamilyQueries::row).all();
    }

    /** The rows of these families that exist, by family id. */
    public Flux<FamilyMetricsRow> findAll(java.util.Collection<String> familyIds) {
        return db.sql("select " + COLUMNS + " from realtime_family_metrics where family_id = any($1::text[]) order by family_id")
                .bind(0, familyIds.toArray(String[]::new))
                .map(FamilyQueries::row)
                .all();
    }

    public Mono<FamilyMetricsRow> find(String familyId) {
        return db.sql("select " + COLUMNS + " from realtime_family_metrics where family_id = $1")
                .bind(0, familyId)
                .map(FamilyQueries::row)
                .one();
    }

    private static FamilyMetricsRow row(Readable r) {
        return new FamilyMetricsRow(
                r.get("family_id", String.class),
                r.get("current_engagement_score", Integer.class),
                r.get("engagement_trend", String.class),
                r.get("engagement_change_7_days", Integer.class),
                r.get("engagement_7_day_avg", BigDecimal.class),
                r.get("engagement_30_day_avg", BigDecimal.class),
                r.get("events_last_7_days", Integer.class),
                r.get("logins_last_7_days", Integer.class),
                r.get("payments_last_7_days", Integer.class),
                r.get("alert_level", String.class),
                r.get("alert_reason", String.class),
                r.get("alert_since", Instant.class),
                r.get("events_processed", Long.class),
                r.get("last_event_timestamp", Instant.class),
                r.get("as_of", Instant.class),
                r.get("last_updated", Instant.class),
                r.get("risk_score", BigDecimal.class),
                factors(r.get("risk_factors", String.class)),
                r.get("model_version", String.class));
    }

    /** Stored comma-separated (feature names have no commas); null when no model scored the family. */
    private static java.util.List<String> factors(String stored) {
        return stored == null ? null : stored.isEmpty() ? java.util.List.of() : java.util.List.of(stored.split(","));
    }
}
