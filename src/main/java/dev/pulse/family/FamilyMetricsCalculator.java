package dev.pulse.family;

import dev.pulse.event.Event;
import dev.pulse.event.EventType;
import dev.pulse.stream.operator.FamilyTimeline;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads every figure of SPEC §3.1 off a family's timeline as of its partition's stream time. Rolling
 * ranges are {@code (asOf − range, asOf]}; "latest", "last 7" use (event time, event id) order (§7).
 * Pure and stateless; the counts that outlive the timeline's horizon ({@code eventsProcessed}, the
 * largest event time) and the level before the horizon are passed in.
 */
public final class FamilyMetricsCalculator {

    private final EngagementRules rules;
    private final AlertHistory history;

    public FamilyMetricsCalculator(EngagementRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
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
        List<Event> scores = new ArrayList<>();
        int events7 = 0;
        int logins7 = 0;
        int payments7 = 0;
        long sum7 = 0;
        int n7 = 0;
        long sum30 = 0;
        int n30 = 0;
        int firstShort = 0;
        int lastShort = 0;
        // The trend's last scores: those carried from pruned events, then the timeline's.
        List<Integer> lastScores = new ArrayList<>(carriedScores);
        Integer latestInTimeline = null;
        for (Event e : timeline.all()) {
            Instant t = e.eventTimestamp();
            if (t.isAfter(asOf)) {
                break; // cannot happen for a lane's own events; guards replays of a prefix
            }
            boolean inShort = t.isAfter(shortFrom);
            boolean inLong = t.isAfter(longFrom);
            var score = e.newScore();
            if (score.isPresent()) {
                if (t.isAfter(from.at())) {
                    scores.add(e);
                }
                latestInTimeline = score.get();
                lastScores.add(score.get());
                if (lastScores.size() > rules.trendPoints()) {
                    lastScores.remove(0);
                }
                if (inShort) {
                    if (n7 == 0) {
                        firstShort = score.get();
                    }
                    lastShort = score.get();
                    sum7 += score.get();
                    n7++;
                }
                if (inLong) {
                    sum30 += score.get();
                    n30++;
                }
            }
            if (inShort) {
                events7++;
                if (e.is(EventType.USER_LOGIN)) {
                    logins7++;
                } else if (e.is(EventType.PAYMENT_RECEIVED)) {
                    payments7++;
                }
            }
        }
        AlertHistory.Result levels = history.walk(scores, asOf, from);
        Integer current = latestInTimeline != null ? latestInTimeline : from.latestScore();
        int change = n7 < 2 ? 0 : lastShort - firstShort;
        FamilyMetrics metrics = new FamilyMetrics(timeline.familyId(), current, Trend.of(lastScores, rules.trendThreshold()),
                change, mean(sum7, n7), mean(sum30, n30), events7, logins7, payments7,
                levels.end().level(), levels.end().reason(), levels.end().since(), eventsProcessed, lastEventTimestamp, asOf);
        return new View(metrics, levels);
    }

    /** Mean with two decimals, half-up (the column is numeric(6,2)); null for no scores. */
    private static BigDecimal mean(long sum, int n) {
        return n == 0 ? null : BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(n), 2, RoundingMode.HALF_UP);
    }
}
