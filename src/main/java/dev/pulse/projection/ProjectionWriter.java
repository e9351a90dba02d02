package dev.pulse.projection;

import dev.pulse.event.Event;
import dev.pulse.family.FamilyMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import dev.pulse.rules.Detection;
import dev.pulse.stream.time.StreamTime;
import dev.pulse.stream.time.Watermark;
import dev.pulse.rules.DetectionChange;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The writes of one micro-batch of one partition. Every method is one statement whatever the batch
 * size ({@code unnest} over binary arrays, {@link PgArray}); the caller runs them inside one transaction, so that a
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
        PgArray.Builder ids = PgArray.builder(PgArray.Type.TEXT, events.size());
        PgArray.Builder offsetArray = PgArray.builder(PgArray.Type.INT8, events.size());
        PgArray.Builder times = PgArray.builder(PgArray.Type.TIMESTAMPTZ, events.size());
        for (int i = 0; i < events.size(); i++) {
            ids.add(events.get(i).eventId());
            offsetArray.add(offsets.get(i));
            times.add(events.get(i).eventTimestamp());
        }
        return db.sql("""
                        insert into processed_events (event_id, kafka_partition, kafka_offset, event_timestamp, processed_at)
                        select u.event_id, $2, u.kafka_offset, u.event_timestamp, $5
                          from unnest($1::text[], $3::bigint[], $4::timestamptz[]) as u(event_id, kafka_offset, event_timestamp)
                        on conflict (event_id) do nothing
                        returning event_id""")
                .bind(0, ids.build())
                .bind(1, partition)
                .bind(2, offsetArray.build())
                .bind(3, times.build())
                .bind(4, now)
                .map(row -> row.get(0, String.class))
                .all()
                .collect(Collectors.toUnmodifiableSet());
    }

    public Mono<Void> upsertMetrics(int partition, List<FamilyMetrics> metrics, Instant now) {
        if (metrics.isEmpty()) {
            return Mono.empty();
        }
        int n = metrics.size();
        PgArray.Builder ids = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder scores = PgArray.builder(PgArray.Type.INT4, n);
        PgArray.Builder trends = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder change = PgArray.builder(PgArray.Type.INT4, n);
        PgArray.Builder avg7 = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder avg30 = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder events7 = PgArray.builder(PgArray.Type.INT4, n);
        PgArray.Builder logins7 = PgArray.builder(PgArray.Type.INT4, n);
        PgArray.Builder payments7 = PgArray.builder(PgArray.Type.INT4, n);
        PgArray.Builder levels = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder ranks = PgArray.builder(PgArray.Type.INT2, n);
        PgArray.Builder reasons = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder since = PgArray.builder(PgArray.Type.TIMESTAMPTZ, n);
        PgArray.Builder processed = PgArray.builder(PgArray.Type.INT8, n);
        PgArray.Builder lastEvent = PgArray.builder(PgArray.Type.TIMESTAMPTZ, n);
        PgArray.Builder asOf = PgArray.builder(PgArray.Type.TIMESTAMPTZ, n);
        PgArray.Builder risk = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder riskFactors = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder modelVersions = PgArray.builder(PgArray.Type.TEXT, n);
        for (FamilyMetrics m : metrics) {
            ids.add(m.familyId());
            scores.add(m.currentEngagementScore());
            trends.add(m.engagementTrend().direction());
            change.add(m.engagementChange7Days());
            avg7.add(Sql.plain(m.engagement7DayAvg()));
            avg30.add(Sql.plain(m.engagement30DayAvg()));
            events7.add(m.eventsLast7Days());
            logins7.add(m.loginsLast7Days());
            payments7.add(m.paymentsLast7Days());
            levels.add(m.alertLevel().wireName());
            ranks.add(m.alertLevel().rank());
            reasons.add(m.alertReason());
            since.add(m.alertSince());
            processed.add(m.eventsProcessed());
            lastEvent.add(m.lastEventTimestamp());
            asOf.add(m.asOf());
            risk.add(Sql.plain(m.riskScore()));
            riskFactors.add(m.riskFactors() == null ? null : String.join(",", m.riskFactors()));
            modelVersions.add(m.modelVersion());
        }
        return db.sql("""
                        insert into realtime_family_metrics (family_id, kafka_partition, current_engagement_score,
                               engagement_trend, engagement_change_7_days, engagement_7_day_avg, engagement_30_day_avg,
                               events_last_7_days, logins_last_7_days, payments_last_7_days, alert_level, alert_rank,
                               alert_reason, alert_since, events_processed, last_event_timestamp, as_of, last_updated,
                               risk_score, risk_factors, model_version)
                        select u.family_id, $2, u.score, u.trend, u.change, u.avg7, u.avg30, u.events7, u.logins7,
                               u.payments7, u.level, u.rank, u.reason, u.since, u.processed, u.last_event, u.as_of, $18,
                               u.risk, u.risk_factors, u.model_version
                          from unnest($1::text[], $3::int[], $4::text[], $5::int[], $6::text[]::numeric[],
                                      $7::text[]::numeric[], $8::int[], $9::int[], $10::int[], $11::text[], $12::smallint[],
                                      $13::text[], $14::timestamptz[], $15::bigint[], $16::timestamptz[],
                                      $17::timestamptz[], $19::text[]::numeric[], $20::text[], $21::text[])
                               as u(family_id, score, trend, change, avg7, avg30, events7, logins7, payments7, level,
                                    rank, reason, since, processed, last_event, as_of, risk, risk_factors, model_version)
                        on conflict (family_id) do update set
                               kafka_partition = excluded.kafka_partition,
                               current_engagement_score = excluded.current_engagement_score,
                               engagement_trend = excluded.engagement_trend,
                               engagement_change_7_days = excluded.engagement_change_7_days,
                               engagement_7_day_avg = excluded.engagement_7_day_avg,
                               engagement_30_day_avg = excluded.engagement_30_day_avg,
                               events_last_7_days = excluded.events_last_7_days,
                               logins_last_7_days = excluded.logins_last_7_days,
                               payments_last_7_days = excluded.payments_last_7_days,
                               alert_level = excluded.alert_level,
                               alert_rank = excluded.alert_rank,
                               alert_reason = excluded.alert_reason,
                               alert_since = excluded.alert_since,
                               events_processed = excluded.events_processed,
                               last_event_timestamp = excluded.last_event_timestamp,
                               as_of = excluded.as_of,
                               last_updated = excluded.last_updated,
                               risk_score = excluded.risk_score,
                               risk_factors = excluded.risk_factors,
                               model_version = excluded.model_version""")
                .bind(0, ids.build())
                .bind(1, partition)
                .bind(2, scores.build())
                .bind(3, trends.build())
                .bind(4, change.build())
                .bind(5, avg7.build())
                .bind(6, avg30.build())
                .bind(7, events7.build())
                .bind(8, logins7.build())
                .bind(9, payments7.build())
                .bind(10, levels.build())
                .bind(11, ranks.build())
                .bind(12, reasons.build())
                .bind(13, since.build())
                .bind(14, processed.build())
                .bind(15, lastEvent.build())
                .bind(16, asOf.build())
                .bind(17, now)
                .bind(18, risk.build())
                .bind(19, riskFactors.build())
                .bind(20, modelVersions.build())
                .then();
    }

    /**
     * Moves the partition's checkpoint past the batch, adds its counts to the totals, records the recent
     * rate and marks the partition {@code running} (clearing an earlier error). The row exists since the
     * partition was claimed, and {@link #checkOwner} locked it earlier in the same transaction.
     */
    public Mono<Void> writeCheckpoint(BatchOutcome outcome, double eventsPerSecond, Instant now) {
        Event last = outcome.lastEvent();
        Double lagSeconds = last == null ? null : (now.toEpochMilli() - last.eventTimestamp().toEpochMilli()) / 1000.0;
        var spec = db.sql("""
                        update stream_checkpoints set
                               last_offset = $4,
                               last_event_id = coalesce($5, last_event_id),
                               last_event_timestamp = coalesce($6, last_event_timestamp),
                               events_processed_total = events_processed_total + $7,
                               duplicates_dropped = duplicates_dropped + $8,
                               dead_lettered = dead_lettered + $9,
                               processing_lag_seconds = coalesce($10, processing_lag_seconds),
                               stream_time = coalesce($11, stream_time),
                               watermark = coalesce($12, watermark),
                               status = 'running',
                               last_error = null,
                               updated_date = $13,
                               late_events = late_events + $14,
                               events_per_second = $15
                         where consumer_group = $1 and topic = $2 and kafka_partition = $3""")
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
        return spec.bind(12, now).bind(13, outcome.lateEvents()).bind(14, eventsPerSecond)
                .fetch().rowsUpdated()
                .flatMap(rows -> rows == 1 ? Mono.<Void>empty() : Mono.error(new IllegalStateException(
                        "no checkpoint row for partition " + outcome.partition() + " (it is inserted when the partition is claimed)")));
    }

    /**
     * Stores the detection changes of a batch in order: emitted and updated ones are upserted by id
     * (an update keeps {@code created_at} and sets {@code updated_at}), retracted ones keep their row
     * with {@code status = 'retracted'} (SPEC §7). Each change is also appended to {@code detection_events}
     * under the next number of its sequence (the SSE id, SPEC §5.2), in the same statement.
     * <p>
     * The advisory lock is held until the caller's transaction ends, so transactions draw sequence numbers
     * one after another in commit order; without it, a later number could commit first and a reader
     * resuming after it would skip the earlier one for good. Only batches with detection changes take it,
     * and it is taken late in the transaction (which commits right after its checkpoint row).
     */
    public Mono<Void> writeDetections(List<DetectionChange> changes, long ruleVersion, Instant now) {
        if (changes.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("select pg_advisory_xact_lock($1)").bind(0, DETECTION_SEQUENCE_LOCK).then()
                .thenMany(Flux.fromIterable(runs(changes)))
                .concatMap(run -> writeRun(run, ruleVersion, now))
                .then();
    }

    /** Any fixed number; named so that operators can find the lock in {@code pg_locks} ({@code objid}). */
    static final long DETECTION_SEQUENCE_LOCK = 0x70756c7365L; // "pulse"

    /**
     * The changes cut, in order, into runs in which no detection appears twice: one statement cannot change a row twice
     * ({@code ON CONFLICT} refuses it), and a detection changed twice in a batch (emitted, then updated) is rare, so
     * nearly every batch is one run and one statement, however many changes it holds.
     */
    static List<List<DetectionChange>> runs(List<DetectionChange> changes) {
        List<List<DetectionChange>> runs = new ArrayList<>();
        List<DetectionChange> run = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (DetectionChange change : changes) {
            if (!ids.add(change.detection().detectionId())) {
                runs.add(run);
                run = new ArrayList<>();
                ids.clear();
                ids.add(change.detection().detectionId());
            }
            run.add(change);
        }
        runs.add(run);
        return runs;
    }

    /**
     * One run in one statement: emitted and updated detections upserted by id, retracted ones updated, and every change
     * appended to {@code detection_events} in the run's order ({@code n}), so that numbers follow the changes' order.
     */
    private Mono<Void> writeRun(List<DetectionChange> run, long ruleVersion, Instant now) {
        int n = run.size();
        PgArray.Builder kinds = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder ids = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder patterns = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder families = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder anchors = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder severities = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder ranks = PgArray.builder(PgArray.Type.INT4, n);
        PgArray.Builder confidences = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder matched = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder details = PgArray.builder(PgArray.Type.TEXT, n);
        PgArray.Builder detectedAt = PgArray.builder(PgArray.Type.TIMESTAMPTZ, n);
        for (DetectionChange change : run) {
            Detection d = change.detection();
            kinds.add(change instanceof DetectionChange.Retracted ? "retracted" : change instanceof DetectionChange.Updated ? "updated" : "emitted");
            ids.add(d.detectionId());
            patterns.add(d.pattern());
            families.add(d.familyId());
            anchors.add(d.anchor());
            severities.add(d.severity().wireName());
            ranks.add(d.severity().rank());
            confidences.add(Sql.plain(d.confidence()));
            matched.add(DetectionJson.matched(d.matchedEvents()));
            details.add(DetectionJson.details(d.details()));
            detectedAt.add(d.detectedAt());
        }
        return db.sql("""
                        with u as (
                            select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                                                 $7::int[], $8::text[]::numeric[], $9::text[]::jsonb[], $10::text[]::jsonb[],
                                                 $11::timestamptz[]) with ordinality
                                   as u(kind, detection_id, pattern, family_id, anchor, severity, severity_rank, confidence,
                                        matched_events, details, detected_at, n)),
                        up as (
                            insert into realtime_pattern_detections (detection_id, pattern, family_id, anchor, severity,
                                   severity_rank, confidence, matched_events, details, status, detected_at, created_at, updated_at,
                                   rule_version)
                            select detection_id, pattern, family_id, anchor, severity, severity_rank, confidence, matched_events,
                                   details, 'active', detected_at, $12, case when kind = 'updated' then $12::timestamptz end, $13
                              from u where kind <> 'retracted' order by n
                            on conflict (detection_id) do update set
                                   severity = excluded.severity, severity_rank = excluded.severity_rank,
                                   confidence = excluded.confidence, matched_events = excluded.matched_events,
                                   details = excluded.details, status = 'active', retracted_at = null,
                                   detected_at = excluded.detected_at, updated_at = $12,
                                   rule_version = excluded.rule_version
                            returning *),
                        gone as (
                            update realtime_pattern_detections r
                               set status = 'retracted', retracted_at = $12, updated_at = $12, rule_version = $13
                              from u where u.kind = 'retracted' and r.detection_id = u.detection_id
                            returning r.*),
                        d as (
                            select u.n, u.kind, up.* from up join u on u.detection_id = up.detection_id
                            union all
                            select u.n, u.kind, gone.* from gone join u on u.detection_id = gone.detection_id)
                        insert into detection_events (change, detection_id, pattern, family_id, anchor, severity, severity_rank,
                               confidence, matched_events, details, status, detected_at, created_at, updated_at, retracted_at,
                               action_type, action_result, actioned_at, rule_version, committed_at)
                        select kind, detection_id, pattern, family_id, anchor, severity, severity_rank, confidence, matched_events,
                               details, status, detected_at, created_at, updated_at, retracted_at, action_type, action_result,
                               actioned_at, rule_version, $12
                          from d order by n""")
                .bind(0, kinds.build())
                .bind(1, ids.build())
                .bind(2, patterns.build())
                .bind(3, families.build())
                .bind(4, anchors.build())
                .bind(5, severities.build())
                .bind(6, ranks.build())
                .bind(7, confidences.build())
                .bind(8, matched.build())
                .bind(9, details.build())
                .bind(10, detectedAt.build())
                .bind(11, now)
                .bind(12, ruleVersion)
                .then();
    }

    /** Records a watermark that moved without new events (idle-advance, SPEC §2); a successful checkpoint like a batch's. */
    public Mono<Void> advanceWatermark(int partition, Instant watermark, Instant now) {
        return db.sql("""
                        update stream_checkpoints set watermark = greatest(watermark, $4), updated_date = $5,
                               status = 'running', last_error = null
                         where consumer_group = $1 and topic = $2 and kafka_partition = $3""")
                .bind(0, consumerGroup)
                .bind(1, topic)
                .bind(2, partition)
                .bind(3, watermark)
                .bind(4, now)
                .then();
    }

    /**
     * Claims these partitions for {@code owner} (SPEC §4 fencing), in one statement: raises each row's
     * owner epoch by one and names the owner, inserting the row of a partition never seen before (epoch
     * 1). A checkpoint transaction of an earlier claim, by this or another instance, fails from then on.
     * A {@code stopped} partition is {@code running} again; an error stays visible, with its last error, until
     * the new owner's first successful checkpoint. Answers each partition's new epoch and where it resumes.
     */
    public Mono<Map<Integer, PartitionCheckpoint>> claim(Set<Integer> partitions, String owner, Instant now) {
        // Sorted, so that two claims over the same rows lock them in the same order and cannot deadlock.
        Integer[] sorted = partitions.stream().sorted().toArray(Integer[]::new);
        return db.sql("""
                        insert into stream_checkpoints (consumer_group, topic, kafka_partition, owner_instance, owner_epoch, updated_date)
                        select $1, $2, p, $4, 1, $5 from unnest($3::int[]) with ordinality as u(p, n) order by n
                        on conflict (consumer_group, topic, kafka_partition) do update
                           set owner_epoch = stream_checkpoints.owner_epoch + 1,
                               owner_instance = excluded.owner_instance,
                               updated_date = excluded.updated_date,
                               status = case when stream_checkpoints.status = 'stopped' then 'running' else stream_checkpoints.status end
                        returning kafka_partition, owner_epoch, last_offset, stream_time, watermark""")
                .bind(0, consumerGroup)
                .bind(1, topic)
                .bind(2, sorted)
                .bind(3, owner)
                .bind(4, now)
                .map(row -> {
                    Long lastOffset = row.get(2, Long.class);
                    Instant streamTime = row.get(3, Instant.class);
                    Instant watermark = row.get(4, Instant.class);
                    return new PartitionCheckpoint(row.get(0, Integer.class), row.get(1, Long.class),
                            lastOffset == null ? null : lastOffset + 1,
                            streamTime == null ? StreamTime.NONE : new StreamTime(streamTime),
                            watermark == null ? Watermark.NONE : new Watermark(watermark));
                })
                .all()
                .collectMap(PartitionCheckpoint::partition);
    }

    /**
     * Records that a claimed partition with no checkpoint yet starts after {@code lastOffset}: the records up to it
     * are not this consumer group's to process (a rebuild from an instant, SPEC §4.1), so its lag and its place in a
     * switch-over count from there. Only while the row has no offset and is still at {@code epoch}; else it does
     * nothing.
     */
    public Mono<Void> startAfter(int partition, long epoch, long lastOffset, Instant now) {
        return db.sql("""
                        update stream_checkpoints set last_offset = $4, updated_date = $5
                         where consumer_group = $1 and topic = $2 and kafka_partition = $3
                           and owner_epoch = $6 and last_offset is null""")
                .bind(0, consumerGroup)
                .bind(1, topic)
                .bind(2, partition)
                .bind(3, lastOffset)
                .bind(4, now)
                .bind(5, epoch)
                .then();
    }

    /**
     * The fencing check of a checkpoint transaction, meant as its first statement: locks the partition's
     * row until the transaction ends, so a concurrent claim waits for it (and then resumes after what it
     * committed), and errors with {@link PartitionFencedException} when the row's epoch is no longer
     * {@code epoch}, so the caller's transaction rolls back.
     */
    public Mono<Void> checkOwner(int partition, long epoch) {
        return db.sql("""
                        select owner_epoch, owner_instance from stream_checkpoints
                         where consumer_group = $1 and topic = $2 and kafka_partition = $3
                           for update""")
                .bind(0, consumerGroup)
                .bind(1, topic)
                .bind(2, partition)
                .map(row -> new Owner(row.get(0, Long.class), row.get(1, String.class)))
                .one()
                .defaultIfEmpty(Owner.NONE)
                .flatMap(found -> found.epoch() != null && found.epoch() == epoch ? Mono.<Void>empty()
                        : Mono.error(new PartitionFencedException(partition, epoch, found.epoch(), found.instance())));
    }

    private record Owner(Long epoch, String instance) {
        static final Owner NONE = new Owner(null, null);
    }

    /**
     * Puts these partitions in {@code stopped} (SPEC §3.4): revoked from {@code owner}, or every partition it holds when
     * {@code partitions} is null (a graceful stop, once its last checkpoint committed). Only rows {@code owner} still
     * holds and that are {@code running}: a row another instance claimed meanwhile is left to it, and an error stays
     * visible until a checkpoint succeeds.
     */
    public Mono<Void> markStopped(Set<Integer> partitions, String owner, Instant now) {
        if (partitions != null && partitions.isEmpty()) {
            return Mono.empty();
        }
        String rows = partitions == null ? "" : " and kafka_partition = any($5::int[])";
        var spec = db.sql("""
                        update stream_checkpoints set status = 'stopped', updated_date = $4
                         where consumer_group = $1 and topic = $2 and owner_instance = $3 and status = 'running'""" + rows)
                .bind(0, consumerGroup)
                .bind(1, topic)
                .bind(2, owner)
                .bind(3, now);
        return (partitions == null ? spec : spec.bind(4, partitions.toArray(Integer[]::new))).then();
    }

    /**
     * Puts these partitions in {@code error} with the reason (SPEC §3.4, §4), in its own statement, for
     * those rows {@code owner} still holds: an instance that lost a partition never marks the new owner's row.
     * The next successful checkpoint sets them {@code running} again.
     */
    public Mono<Void> markError(Set<Integer> partitions, String owner, String reason, Instant now) {
        if (partitions.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("""
                        update stream_checkpoints set status = 'error', last_error = $5, updated_date = $6
                         where consumer_group = $1 and topic = $2 and kafka_partition = any($3::int[]) and owner_instance = $4""")
                .bind(0, consumerGroup)
                .bind(1, topic)
                .bind(2, partitions.toArray(Integer[]::new))
                .bind(3, owner)
                .bind(4, reason)
                .bind(5, now)
                .then();
    }
}
