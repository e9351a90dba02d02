package dev.pulse.family;

import dev.pulse.event.Event;
import dev.pulse.event.EventType;
import dev.pulse.stream.operator.FamilyTimeline;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads every figure of SPEC §3.1 off a family's timeline as of its partition's stream time. Rolling
 * ranges are {@code (asOf − range, asOf]}; "latest", "last 7" use (event time, event id) order (§7).
 * Pure and stateless; the counts that outlive the timeline's horizon ({@code eventsProcessed}, the
 * largest event time) and the level before the horizon are passed in.
 */
public final class FamilyMetricsCalculator {

    private final EngagementRules rules;
    private final RiskModel risk;
    private final AlertHistory history;

    public FamilyMetricsCalculator(EngagementRules rules) {
        this(rules, RiskModel.NONE);
    }

    public FamilyMetricsCalculator(EngagementRules rules, RiskModel risk) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.risk = Objects.requireNonNull(risk, "risk");
        this.history = new AlertHistory(rules);
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
        Instant shortFrom = asOf.minus(rules.shortRange());
        Instant longFrom = asOf.minus(rules.longRange());
        int points = rules.trendPoints();
        int events7 = 0;
        int logins7 = 0;
        int payments7 = 0;
        long sum7 = 0;
        int n7 = 0;
        long sum30 = 0;
        int n30 = 0;
        int firstShort = 0;
        int lastShort = 0;
        int bounces30 = 0;
        int openOverdue = 0;
        boolean paidSince = false;
        // The trend's last scores, filled from the end (newest first), and the scores after the walk's start,
        // collected newest first: no boxing, and no list for the common family without a new score.
        int[] lastScores = new int[points];
        int found = 0;
        List<Event> newScores = List.of();
        // One pass, newest first, over the timeline's primitive facts, stopping once every figure has what it
        // needs: older events are not read, and event objects only for the new scores.
        long shortFromMs = shortFrom.toEpochMilli();
        long longFromMs = longFrom.toEpochMilli();
        long fromMs = from.at().equals(Instant.MIN) ? Long.MIN_VALUE : from.at().toEpochMilli();
        for (int i = timeline.indexAfter(asOf.toEpochMilli()) - 1; i >= 0; i--) {
            long t = timeline.millisAt(i);
            boolean inLong = t > longFromMs;
            boolean isNew = t > fromMs;
            if (!inLong && !isNew && found == points) {
                break;
            }
            boolean inShort = t > shortFromMs;
            int value = timeline.scoreAt(i);
            if (value != FamilyTimeline.NO_SCORE) {
                if (found < points) {
                    lastScores[points - 1 - found++] = value;
                }
                if (isNew) {
                    if (newScores.isEmpty()) {
                        newScores = new ArrayList<>();
                    }
                    newScores.add(timeline.eventAt(i));
                }
                if (inShort) {
                    if (n7 == 0) {
                        lastShort = value;
                    }
                    firstShort = value;
                    sum7 += value;
                    n7++;
                }
                if (inLong) {
                    sum30 += value;
                    n30++;
                }
            }
            if (inLong) {
                // newest first: an overdue is open while no payment came after it
                if (timeline.isAt(i, EventType.PAYMENT_RECEIVED)) {
                    paidSince = true;
                } else if (timeline.isAt(i, EventType.PAYMENT_OVERDUE) && !paidSince) {
                    openOverdue++;
                } else if (timeline.isAt(i, EventType.EMAIL_BOUNCED)) {
                    bounces30++;
                }
            }
            if (inShort) {
                events7++;
                if (timeline.isAt(i, EventType.USER_LOGIN)) {
                    logins7++;
                } else if (timeline.isAt(i, EventType.PAYMENT_RECEIVED)) {
                    payments7++;
                }
            }
        }
        Integer latestInTimeline = found > 0 ? lastScores[points - 1] : null;
        for (int i = carriedScores.size() - 1; i >= 0 && found < points; i--) {
            lastScores[points - 1 - found++] = carriedScores.get(i);
        }
        Collections.reverse(newScores);
        AlertHistory.Result levels = history.walk(newScores, asOf, from);
        Integer current = latestInTimeline != null ? latestInTimeline : from.latestScore();
        Trend trend = Trend.of(lastScores, points - found, rules.trendThreshold());
        int change = n7 < 2 ? 0 : lastShort - firstShort;
        RiskModel.Risk assessed = risk == RiskModel.NONE ? RiskModel.Risk.UNSCORED
                : risk.assess(features(current, trend, change, logins7, payments7, openOverdue, bounces30));
        FamilyMetrics metrics = new FamilyMetrics(timeline.familyId(), current, trend,
                change, mean(sum7, n7), mean(sum30, n30), events7, logins7, payments7,
                levels.end().level(), levels.end().reason(), levels.end().since(), eventsProcessed, lastEventTimestamp, asOf,
                assessed.score(), assessed.factors(), assessed.modelVersion());
        return new View(metrics, levels);
    }

    /** The live features of SPEC §3.7, by the names a {@link RiskModel} uses; no score yet: absent. */
    private static Map<String, Number> features(Integer score, Trend trend, int change, int logins7, int payments7,
                                                          int openOverdue, int bounces30) {
        Map<String, Number> features = new HashMap<>();
        if (score != null) {
            features.put("current_score", score);
            features.put("trend_slope", trend.slope());
            features.put("change_7d", change);
        }
        features.put("logins_7d", logins7);
        features.put("payments_7d", payments7);
        features.put("open_overdue", openOverdue);
        features.put("bounces_30d", bounces30);
        return features;
    }

    /** Mean with two decimals, half-up (the column is numeric(6,2)); null for no scores. */
    private static BigDecimal mean(long sum, int n) {
        // Scores are ≥ 0, so half-up is floor((100·sum + n/2) / n), done in integers: exact, and no division of decimals.
        return n == 0 ? null : BigDecimal.valueOf((200 * sum + n) / (2L * n), 2);
    }
}
