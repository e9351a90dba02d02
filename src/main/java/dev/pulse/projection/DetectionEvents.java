package dev.pulse.projection;

import java.time.Instant;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Reads {@code detection_events}: every committed detection change under its sequence number (SPEC §5.2,
 * written by {@link ProjectionWriter#writeDetections}). Numbers increase in commit order; rolled-back
 * transactions leave gaps. Cold {@code Mono}s that error with the driver's exception.
 */
public final class DetectionEvents {

    /** One committed change: {@code change} is {@code emitted}, {@code updated} or {@code retracted}. */
    public record Change(long seq, String change, DetectionRow detection) {
    }

    private final DatabaseClient db;

    public DetectionEvents(DatabaseClient db) {
        this.db = db;
    }

    /**
     * The first {@code limit} changes numbered above {@code seq}, in order. Collected before they are
     * answered, so a slow consumer never holds a pooled connection.
     */
    public Mono<List<Change>> after(long seq, int limit) {
        return db.sql("""
                        select seq, change, detection_id, pattern, family_id, anchor, severity, confidence,
                               matched_events::text as matched_events, details::text as details, status, detected_at,
                               created_at, updated_at, retracted_at, action_type, action_result, actioned_at, rule_version
                          from detection_events where seq > $1 order by seq limit $2""")
                .bind(0, seq)
                .bind(1, limit)
                .map(row -> new Change(row.get("seq", Long.class), row.get("change", String.class), DetectionQueries.row(row)))
                .all()
                .collectList();
    }

    /**
     * Deletes at most {@code batch} changes committed before {@code cutoff}, lowest numbers first, and records the
     * highest number deleted ({@link #prunedThrough}); answers how many went. Read along the primary key: numbers follow
     * commit order, so the old changes come first and the scan stops at the first {@code batch} of them.
     */
    public Mono<Long> pruneOldest(Instant cutoff, int batch) {
        return db.sql("""
                        with gone as (
                            delete from detection_events
                             where seq in (select seq from detection_events where committed_at < $1 order by seq limit $2)
                         returning seq),
                        marked as (
                            insert into detection_events_pruned (singleton, through)
                            select true, max(seq) from gone having count(*) > 0
                            on conflict (singleton) do update
                               set through = greatest(detection_events_pruned.through, excluded.through))
                        select count(*) from gone""")
                .bind(0, cutoff)
                .bind(1, batch)
                .map(row -> row.get(0, Long.class))
                .one();
    }

    /** The highest number deleted by {@link #pruneOldest}; 0 while nothing was. */
    public Mono<Long> prunedThrough() {
        return db.sql("select coalesce((select through from detection_events_pruned), 0)")
                .map(row -> row.get(0, Long.class))
                .one();
    }

    /** The highest number committed so far; 0 before the first change. */
    public Mono<Long> latest() {
        return db.sql("select coalesce(max(seq), 0) from detection_events")
                .map(row -> row.get(0, Long.class))
                .one();
    }
}
