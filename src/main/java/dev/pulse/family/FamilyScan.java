package dev.pulse.family;

import dev.pulse.event.Event;
import dev.pulse.event.EventType;
import dev.pulse.stream.operator.FamilyTimeline;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures of SPEC §3.1 and the risk features of §3.7 read off a timeline's first {@code end} events as of an
 * instant: rolling ranges {@code (asOf − range, asOf]}, "latest" and "last 7" in (event time, event id) order (§7).
 * One code for both readers: {@link FamilyMetricsCalculator} scans once per computation with every event up to its
 * {@code as_of}, {@link RiskHistory} once per change point with the events up to that point, so the risk it judges
 * a crossing on is exactly the risk the row would carry there. Mutable, used by one reader for one point.
 */
final class FamilyScan {

    private static final int PAYMENT = FamilyTimeline.kindOf(EventType.PAYMENT_RECEIVED);
    private static final int OVERDUE = FamilyTimeline.kindOf(EventType.PAYMENT_OVERDUE);
    private static final int BOUNCE = FamilyTimeline.kindOf(EventType.EMAIL_BOUNCED);
    private static final int LOGIN = FamilyTimeline.kindOf(EventType.USER_LOGIN);

    int events7;
    int logins7;
    int payments7;
    long sum7;
    int n7;
    long sum30;
    int n30;
    int firstShort;
    int lastShort;
    int bounces30;
    int openOverdue;
    /** The trend's last scores, filled from the end (newest first): {@code lastScores[points − found ..]}. */
    final int[] lastScores;
    int found;
    /** The latest score among the scanned events (before any carried score is added), or null. */
    Integer latestInTimeline;
    /** The score events after the walk's start, newest first ({@code fromMs}); empty when none. */
    List<Event> newScores = List.of();

    /** The list {@link #newScores} is collected into, kept from one fill to the next. */
    private ArrayList<Event> collected;

    private FamilyScan(int points) {
        this.lastScores = new int[points];
    }

    private void clear() {
        events7 = 0;
        logins7 = 0;
        payments7 = 0;
        sum7 = 0;
        n7 = 0;
        sum30 = 0;
        n30 = 0;
        firstShort = 0;
        lastShort = 0;
        bounces30 = 0;
        openOverdue = 0;
        found = 0;
        latestInTimeline = null;
        if (collected != null) {
            collected.clear();
        }
        newScores = List.of();
    }

    /**
     * One pass, newest first, over the timeline's primitive facts of events {@code [0, end)}, stopping once every
     * figure has what it needs: older events are not read, and event objects only for the new scores.
     *
     * @param fromMs score events after this time are collected in {@link #newScores}; {@link Long#MAX_VALUE}: none
     */
    static FamilyScan of(FamilyTimeline timeline, int end, long asOfMs, EngagementRules rules, long fromMs) {
        return new FamilyScan(rules.trendPoints()).fill(timeline, end, asOfMs, rules, fromMs);
    }

    /** A scan to {@link #fill} again and again, for a reader that scans one point at a time (an engine's calculator). */
    static FamilyScan reusable(EngagementRules rules) {
        return new FamilyScan(rules.trendPoints());
    }

    /**
     * {@link #of}, into this scan: every figure of the previous point is replaced.
     * <p>
     * Branch-free per event where the branch would follow the event's type or score: a family's events mix types in no
     * order, so those branches were mispredicted about every other event, and this scan, which reads every event of
     * the 30 days at each computation, was the engine's largest single function. The branches left (the ranges, the
     * trend's first points, the new scores) go one way for a run of events.
     */
    FamilyScan fill(FamilyTimeline timeline, int end, long asOfMs, EngagementRules rules, long fromMs) {
        int points = lastScores.length;
        clear();
        long shortFromMs = asOfMs - rules.shortRange().toMillis();
        long longFromMs = asOfMs - rules.longRange().toMillis();
        int paidSince = 0;
        for (int i = end - 1; i >= 0; i--) {
            long fact = timeline.factAt(i);
            long t = FamilyTimeline.millisOf(fact);
            boolean inLong = t > longFromMs;
            boolean isNew = t > fromMs;
            if (!inLong && !isNew && found == points) {
                break;
            }
            int value = FamilyTimeline.scoreOf(fact);
            int scored = 1 - same(value + 1, FamilyTimeline.NO_SCORE + 1); // 1 for a score event, else 0
            if (found < points) {
                lastScores[points - 1 - found] = value; // kept only when counted: a later score overwrites it
                found += scored;
            }
            if (isNew && scored == 1) {
                if (newScores.isEmpty()) {
                    if (collected == null) {
                        collected = new ArrayList<>();
                    }
                    newScores = collected;
                }
                newScores.add(timeline.eventAt(i));
            }
            int kind = inLong ? FamilyTimeline.kindOf(fact) : FamilyTimeline.OTHER_KIND;
            if (t > shortFromMs) {
                lastShort = (n7 == 0) & (scored == 1) ? value : lastShort;
                firstShort = scored == 1 ? value : firstShort;
                sum7 += value & -scored;
                n7 += scored;
                events7++;
                logins7 += same(kind, LOGIN);
                payments7 += same(kind, PAYMENT);
            }
            if (inLong) {
                sum30 += value & -scored;
                n30 += scored;
                // newest first: an overdue is open while no payment came after it
                paidSince |= same(kind, PAYMENT);
                openOverdue += same(kind, OVERDUE) & (paidSince ^ 1);
                bounces30 += same(kind, BOUNCE);
            }
        }
        latestInTimeline = found > 0 ? lastScores[points - 1] : null;
        return this;
    }

    /** 1 when {@code a == b}, else 0, without a branch; both in 0..2^30. */
    private static int same(int a, int b) {
        return ((a ^ b) - 1) >>> 31;
    }

    /** Whether the timeline alone had the trend's points: then the carried scores are not needed. */
    boolean hasAllPoints() {
        return found == lastScores.length;
    }

    /** Completes the trend's points with the last scores of events already pruned ({@code carried}, oldest first). */
    FamilyScan carrying(List<Integer> carried) {
        int points = lastScores.length;
        if (found == points) {
            return this; // the timeline had them all: the carried list is not read (its family's state is rarely in cache)
        }
        for (int i = carried.size() - 1; i >= 0 && found < points; i--) {
            lastScores[points - 1 - found++] = carried.get(i);
        }
        return this;
    }

    Trend trend(double threshold) {
        return Trend.of(lastScores, lastScores.length - found, threshold);
    }

    /** {@code engagement_change_7_days}: last − first score in the short range; 0 if fewer than 2. */
    int change() {
        return n7 < 2 ? 0 : lastShort - firstShort;
    }

    /**
     * The live features of SPEC §3.7 by {@link RiskFeature#ordinal()}, for a {@link RiskScorer}; no score yet: the
     * score features without a value ({@link Double#NaN}).
     */
    double[] riskFeatures(Integer currentScore, Trend trend) {
        double[] features = RiskScorer.noValues();
        if (currentScore != null) {
            features[RiskFeature.CURRENT_SCORE.ordinal()] = currentScore;
            features[RiskFeature.TREND_SLOPE.ordinal()] = trend.slope();
            features[RiskFeature.CHANGE_7D.ordinal()] = change();
        }
        features[RiskFeature.LOGINS_7D.ordinal()] = logins7;
        features[RiskFeature.PAYMENTS_7D.ordinal()] = payments7;
        features[RiskFeature.OPEN_OVERDUE.ordinal()] = openOverdue;
        features[RiskFeature.BOUNCES_30D.ordinal()] = bounces30;
        return features;
    }
}
