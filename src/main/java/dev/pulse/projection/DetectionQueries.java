package dev.pulse.projection;

import dev.pulse.rules.MatchedEvent;
import dev.pulse.rules.Severity;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads and actions of {@code realtime_pattern_detections} (SPEC §5.1). Cold publishers. */
public final class DetectionQueries {

    private static final String COLUMNS = """
            detection_id, pattern, family_id, anchor, severity, confidence, matched_events::text as matched_events,
            details::text as details, status, detected_at, created_at, updated_at, retracted_at, action_type,
            action_result, actioned_at, rule_version""";

    private final DatabaseClient db;

    public DetectionQueries(DatabaseClient db) {
        this.db = db;
    }

    /** What {@code GET /api/detections} filters on; null fields do not filter. */
    public record Filter(String familyId, String pattern, Severity minSeverity, Instant since, boolean includeRetracted) {

        /** Every active detection: what dashboards show. */
        public static final Filter ACTIVE = new Filter(null, null, null, null, false);
    }

    /** Newest first by detected_at, then id (SPEC §7). */
    public Flux<DetectionRow> list(Filter filter, int limit, long offset) {
        List<String> where = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (filter.familyId() != null) {
            args.add(filter.familyId());
            where.add("family_id = $" + args.size());
        }
        if (filter.pattern() != null) {
            args.add(filter.pattern());
            where.add("pattern = $" + args.size());
        }
        if (filter.minSeverity() != null) {
            args.add((short) filter.minSeverity().rank());
            where.add("severity_rank >= $" + args.size());
        }
        if (filter.since() != null) {
            args.add(filter.since());
            where.add("detected_at >= $" + args.size());
        }
        if (!filter.includeRetracted()) {
            where.add("status = 'active'");
        }
        args.add(limit);
        String limitArg = "$" + args.size();
        args.add(offset);
        String offsetArg = "$" + args.size();
        String sql = "select " + COLUMNS + " from realtime_pattern_detections"
                + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
                + " order by detected_at desc, detection_id desc limit " + limitArg + " offset " + offsetArg;
        var spec = db.sql(sql);
        for (int i = 0; i < args.size(); i++) {
            spec = spec.bind(i, args.get(i));
        }
        return spec.map(DetectionQueries::row).all();
    }

    /** Active detections of these families at least {@code minSeverity} (null: any), newest first (SPEC §7 order). */
    public Flux<DetectionRow> listForFamilies(java.util.Collection<String> familyIds, Severity minSeverity, int limit) {
        return db.sql("select " + COLUMNS + """
                         from realtime_pattern_detections
                        where family_id = any($1::text[]) and severity_rank >= $2 and status = 'active'
                        order by detected_at desc, detection_id desc limit $3""")
                .bind(0, familyIds.toArray(String[]::new))
                .bind(1, (short) (minSeverity == null ? 0 : minSeverity.rank()))
                .bind(2, limit)
                .map(DetectionQueries::row)
                .all();
    }

    public Mono<DetectionRow> find(String detectionId) {
        return db.sql("select " + COLUMNS + " from realtime_pattern_detections where detection_id = $1")
                .bind(0, detectionId)
                .map(DetectionQueries::row)
                .one();
    }

    /** Marks a detection handled; empty when no detection has that id. */
    public Mono<DetectionRow> recordAction(String detectionId, String actionType, String actionResult, Instant now) {
        var spec = db.sql("""
                        update realtime_pattern_detections
                           set action_type = $2, action_result = $3, actioned_at = $4
                         where detection_id = $1""")
                .bind(0, detectionId)
                .bind(1, actionType);
        spec = Sql.bindNullable(spec, 2, actionResult, String.class);
        return spec.bind(3, now).fetch().rowsUpdated()
                .flatMap(updated -> updated == 0 ? Mono.empty() : find(detectionId));
    }

    @SuppressWarnings("unchecked")
    static DetectionRow row(Readable r) {
        List<Map<String, Object>> matched = (List<Map<String, Object>>) DetectionJson.read(r.get("matched_events", String.class));
        Object details = DetectionJson.read(r.get("details", String.class));
        return new DetectionRow(
                r.get("detection_id", String.class),
                r.get("pattern", String.class),
                r.get("family_id", String.class),
                r.get("anchor", String.class),
                r.get("severity", String.class),
                r.get("confidence", BigDecimal.class),
                matched.stream().map(m -> new MatchedEvent((String) m.get("event_id"), (String) m.get("event_type"),
                        Instant.parse((String) m.get("event_timestamp")),
                        m.get("value") == null ? null : new BigDecimal(m.get("value").toString()))).toList(),
                details == null ? Map.of() : (Map<String, Object>) details,
                r.get("status", String.class),
                r.get("detected_at", Instant.class),
                r.get("created_at", Instant.class),
                r.get("updated_at", Instant.class),
                r.get("retracted_at", Instant.class),
                r.get("action_type", String.class),
                r.get("action_result", String.class),
                r.get("actioned_at", Instant.class),
                r.get("rule_version", Long.class));
    }
}
