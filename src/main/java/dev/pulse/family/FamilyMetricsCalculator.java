package dev.pulse.family;

import dev.pulse.event.Decimals;
import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import dev.pulse.stream.time.EpochMillis;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Reads every figure of SPEC §3.1 off a family's timeline as of its partition's stream time. Rolling
 * ranges are {@code (asOf − range, asOf]}; "latest", "last 7" use (event time, event id) order (§7).
 * A pure function of its arguments; the counts that outlive the timeline's horizon ({@code eventsProcessed}, the
 * largest event time) and the level before the horizon are passed in. Single-threaded: it reuses one scan for
 * every computation (one calculator per partition engine).
 */
public final class FamilyMetricsCalculator {

    private final EngagementRules rules;
    private final RiskModel risk;
    private final RiskScorer scorer;
    private final AlertHistory history;
    /** Filled again by each computation: a calculator computes one family at a time (an engine's, on its lane). */
    private final FamilyScan scan;

    public FamilyMetricsCalculator(EngagementRules rules) {
        this(rules, RiskModel.NONE);
    }

    public FamilyMetricsCalculator(EngagementRules rules, RiskModel risk) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.risk = Objects.requireNonNull(risk, "risk");
        this.scorer = new RiskScorer(risk);
        this.history = new AlertHistory(rules);
        this.scan = FamilyScan.reusable(rules);
    }

    /** The metrics and the level history they came from. */
    public record View(FamilyMetrics metrics, AlertHistory.Result history) {
    }

    /**
     * @param carriedScores the last scores of events already pruned from the timeline, oldest first
     * @param from where the level walk resumes: the carry of pruned scores for a full walk, or the end of the
     *             previous walk when every new score is after it (then only the new points are walked)
     */
    public View view(FamilyTimeline timeline, long eventsProcessed, Instant lastEventTimestamp,
                     List<Integer> carriedScores, AlertHistory.Resume from, Instant asOf) {
        return view(timeline, eventsProcessed, lastEventTimestamp, carriedScores, from, EpochMillis.floor(from.at()), asOf,
                EpochMillis.floor(asOf));
    }

    /**
     * {@link #view} with the instants as epoch milliseconds ({@link EpochMillis#floor}) too, for a caller that keeps
     * them: the instants' objects are not read again.
     */
    public View view(FamilyTimeline timeline, long eventsProcessed, Instant lastEventTimestamp, List<Integer> carriedScores,
                     AlertHistory.Resume from, long fromMs, Instant asOf, long asOfMs) {
        FamilyScan scan = this.scan.fill(timeline, timeline.indexAfter(asOfMs), asOfMs, rules, fromMs);
        Integer latestInTimeline = scan.latestInTimeline;
        scan.carrying(carriedScores);
        List<Event> newScores = scan.newScores;
        Collections.reverse(newScores);
        AlertHistory.Result levels = history.walk(newScores, asOf, from);
        AlertHistory.Resume end = levels.end();
        return new View(metrics(timeline, scan, latestInTimeline, eventsProcessed, lastEventTimestamp, end.level(), end.reason(),
                end.since(), end.latestScore(), asOf), levels);
    }

    /**
     * {@link #view}'s metrics when the caller knows the level walk has nothing to walk up to {@code asOf}: no score
     * after {@code levels} up to it and none of its scores in range leaving by then, so the level is the one
     * {@code levels} ended with (the walk would only move its instant). The carry's scores are read only when the
     * trend needs them.
     *
     * @param asOfMillis {@code asOf} in epoch milliseconds
     */
    public FamilyMetrics withLevelOf(FamilyTimeline timeline, long eventsProcessed, Instant lastEventTimestamp,
                                     AlertHistory.Resume carry, AlertHistory.Resume levels, Instant asOf, long asOfMillis) {
        // Read before the scan: the walk's state is rarely in cache, and its miss then overlaps the timeline's.
        AlertLevel level = levels.level();
        String reason = levels.reason();
        Instant since = levels.since();
        Integer latestWalked = levels.latestScore();
        FamilyScan scan = this.scan.fill(timeline, timeline.indexAfter(asOfMillis), asOfMillis, rules, Long.MAX_VALUE);
        Integer latestInTimeline = scan.latestInTimeline;
        if (!scan.hasAllPoints()) {
            scan.carrying(carry.recentScores());
        }
        return metrics(timeline, scan, latestInTimeline, eventsProcessed, lastEventTimestamp, level, reason, since,
                latestWalked, asOf);
    }

    /** @param latestWalked the latest score of the level walk */
    private FamilyMetrics metrics(FamilyTimeline timeline, FamilyScan scan, Integer latestInTimeline, long eventsProcessed,
                                  Instant lastEventTimestamp, AlertLevel level, String reason, Instant since,
                                  Integer latestWalked, Instant asOf) {
        // With no score in the timeline up to asOf the walk met none either: its latest is the one it resumed with.
        Integer current = latestInTimeline != null ? latestInTimeline : latestWalked;
        Trend trend = scan.trend(rules.trendThreshold());
        int change = scan.change();
        RiskModel.Risk assessed = risk == RiskModel.NONE ? RiskModel.Risk.UNSCORED
                : scorer.assess(scan.riskFeatures(current, trend));
        return new FamilyMetrics(timeline.familyId(), current, trend,
                change, mean(scan.sum7, scan.n7), mean(scan.sum30, scan.n30), scan.events7, scan.logins7, scan.payments7,
                level, reason, since, eventsProcessed, lastEventTimestamp, asOf,
                assessed.score(), assessed.factors(), assessed.modelVersion());
    }

    /** Mean with two decimals, half-up (the column is numeric(6,2)); null for no scores. */
    private static BigDecimal mean(long sum, int n) {
        // Scores are ≥ 0, so half-up is floor((100·sum + n/2) / n), done in integers: exact, and no division of decimals.
        return n == 0 ? null : Decimals.hundredths((200 * sum + n) / (2L * n));
    }
}
