package dev.pulse.projection;

import dev.pulse.trending.Trending;
import dev.pulse.trending.TrendingRanking;
import dev.pulse.trending.TrendingWindow;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Trending from the tumbling counter rows (SPEC §3.5, {@link TrendingWindow}): per family and per event type, the
 * sum of the rows whose windows lie in the sliding window (and, for types, in the one before it), across every
 * partition.
 */
public final class TrendingQueries {

    private final DatabaseClient db;
    private final String consumerGroup;
    private final String topic;
    private final int top;
    private final long minCount;

    public TrendingQueries(DatabaseClient db, String consumerGroup, String topic, int top, long minCount) {
        this.db = db;
        this.consumerGroup = consumerGroup;
        this.topic = topic;
        this.top = top;
        this.minCount = minCount;
    }

    /**
     * The stream's watermark: the lowest checkpointed watermark of this group's partitions, once every partition
     * claimed (each gets its row when first claimed) has one; empty before that, because a partition without a
     * watermark has not checkpointed an event yet and may still hold events of any window.
     */
    public Mono<Instant> watermark() {
        return db.sql("""
                        select count(*) as claimed, count(watermark) as n, min(watermark) as w
                          from stream_checkpoints
                         where consumer_group = $1 and topic = $2""")
                .bind(0, consumerGroup)
                .bind(1, topic)
                .map(row -> {
                    long claimed = row.get("claimed", Long.class);
                    return java.util.Optional.ofNullable(claimed > 0 && row.get("n", Long.class) == claimed ? row.get("w", Instant.class) : null);
                })
                .one()
                .flatMap(Mono::justOrEmpty);
    }

    /** Trending of the window {@code span} of {@code window}. */
    public Mono<Trending> read(TrendingWindow window, TrendingWindow.Span span) {
        Instant previousStart = span.start().minus(window.size());
        String size = window.source().sizeLabel();
        // Ties in count are cut by family id in code-point order ("C" collation), as TrendingRanking orders them.
        Mono<Map<String, Long>> families = db.sql("""
                        select family_id, sum(event_count)::bigint as n
                          from realtime_event_counters
                         where window_type = 'tumbling' and window_size = $1 and window_start >= $2 and window_start < $3
                         group by family_id
                         order by n desc, family_id collate "C"
                         limit $4""")
                .bind(0, size).bind(1, span.start()).bind(2, span.end()).bind(3, top)
                .map(row -> Map.entry(row.get("family_id", String.class), row.get("n", Long.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, LinkedHashMap::new);
        Mono<TypeCounts> types = db.sql("""
                        select event_type,
                               coalesce(sum(event_count) filter (where window_start >= $3), 0)::bigint as now,
                               coalesce(sum(event_count) filter (where window_start < $3), 0)::bigint as before
                          from realtime_event_counters
                         where window_type = 'tumbling' and window_size = $1 and window_start >= $2 and window_start < $4
                         group by event_type""")
                .bind(0, size).bind(1, previousStart).bind(2, span.start()).bind(3, span.end())
                .map(row -> new TypeCount(row.get("event_type", String.class), row.get("now", Long.class), row.get("before", Long.class)))
                .all()
                .collect(TypeCounts::new, TypeCounts::add);
        return Mono.zip(families, types).map(both -> new Trending(window.spec().sizeLabel(), span.start(), span.end(),
                TrendingRanking.families(both.getT1(), top),
                TrendingRanking.eventTypes(both.getT2().now(), both.getT2().before(), top, minCount)));
    }

    /** One event type's count in the window and in the one before it. */
    private record TypeCount(String eventType, long now, long before) {
    }

    /** Counts per event type, in the window and in the one before it. */
    private record TypeCounts(Map<String, Long> now, Map<String, Long> before) {
        TypeCounts() {
            this(new HashMap<>(), new HashMap<>());
        }

        void add(TypeCount count) {
            now.put(count.eventType(), count.now());
            before.put(count.eventType(), count.before());
        }
    }
}
