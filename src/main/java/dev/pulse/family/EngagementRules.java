package dev.pulse.family;

import java.time.Duration;
import java.util.Objects;

/**
 * The thresholds of SPEC §3.1 (configurable under {@code pulse.rules.*}): a level holds when the
 * score is below its score threshold or the 7-day change below its change threshold; the trend is
 * rising above {@code trendThreshold}, declining below its negation.
 */
public record EngagementRules(int criticalScore, int warningScore, int watchScore,
                              int criticalChange, int warningChange, int watchChange,
                              double trendThreshold, int trendPoints,
                              Duration shortRange, Duration longRange) {

    public static final EngagementRules DEFAULTS =
            new EngagementRules(30, 50, 70, -40, -25, -10, 2.0, 7, Duration.ofDays(7), Duration.ofDays(30));

    public EngagementRules {
        if (!(criticalScore <= warningScore && warningScore <= watchScore)) {
            throw new IllegalArgumentException("score thresholds must satisfy critical <= warning <= watch, were "
                    + criticalScore + ", " + warningScore + ", " + watchScore);
        }
        if (!(criticalChange <= warningChange && warningChange <= watchChange)) {
            throw new IllegalArgumentException("change thresholds must satisfy critical <= warning <= watch, were "
                    + criticalChange + ", " + warningChange + ", " + watchChange);
        }
        if (trendPoints < 2) {
            throw new IllegalArgumentException("trend points must be >= 2, was " + trendPoints);
        }
        Objects.requireNonNull(shortRange, "shortRange");
        Objects.requireNonNull(longRange, "longRange");
        if (shortRange.isZero() || shortRange.isNegative() || longRange.compareTo(shortRange) < 0) {
            throw new IllegalArgumentException("ranges must satisfy 0 < short <= long, were " + shortRange + ", " + longRange);
        }
    }

    /** The level for a latest score (null: none yet) and a 7-day change, with the conditions that hold (SPEC §7). */
    public Level levelOf(Integer score, int change) {
        if (score == null) {
            return new Level(AlertLevel.NONE, null);
        }
        AlertLevel level = level(score, change);
        return new Level(level, reason(level, score, change));
    }

    /** {@link #levelOf}'s level alone, for a score that is present: a walk judges every point but words few. */
    AlertLevel level(int score, int change) {
        return score < criticalScore || change < criticalChange ? AlertLevel.CRITICAL
                : score < warningScore || change < warningChange ? AlertLevel.WARNING
                : score < watchScore || change < watchChange ? AlertLevel.WATCH
                : AlertLevel.NONE;
    }

    /** {@link #levelOf}'s reason for {@code level}, which must be {@link #level}{@code (score, change)}. */
    String reason(AlertLevel level, int score, int change) {
        int scoreThreshold;
        int changeThreshold;
        switch (level) {
            case CRITICAL -> { scoreThreshold = criticalScore; changeThreshold = criticalChange; }
            case WARNING -> { scoreThreshold = warningScore; changeThreshold = warningChange; }
            case WATCH -> { scoreThreshold = watchScore; changeThreshold = watchChange; }
            default -> { return null; }
        }
        // SPEC §7: the score condition before the change condition, joined by "; ".
        StringBuilder reason = new StringBuilder();
        if (score < scoreThreshold) {
            reason.append("score ").append(score).append(" < ").append(scoreThreshold);
        }
        if (change < changeThreshold) {
            if (!reason.isEmpty()) {
                reason.append("; ");
            }
            reason.append("change_7d ").append(change).append(" < ").append(changeThreshold);
        }
        return reason.toString();
    }

    /** A level and the conditions that hold for it. */
    public record Level(AlertLevel level, String reason) {
    }
}
