package dev.pulse.family;

import java.util.List;

/** Engagement trend (SPEC §3.1): the least-squares slope over the last scores, with x = 0..n−1. */
public record Trend(String direction, double slope) {

    public static final Trend STABLE = new Trend("stable", 0.0);

    /** @param scores the last scores in event-time order (at most the configured number of points) */
    static Trend of(List<Integer> scores, double threshold) {
        int n = scores.size();
        if (n < 2) {
            return STABLE;
        }
        // slope = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)², exact in doubles for n ≤ 7 and integer scores
        double meanX = (n - 1) / 2.0;
        double meanY = scores.stream().mapToInt(Integer::intValue).average().orElse(0);
        double num = 0;
        double den = 0;
        for (int x = 0; x < n; x++) {
            num += (x - meanX) * (scores.get(x) - meanY);
            den += (x - meanX) * (x - meanX);
        }
        double slope = num / den;
        String direction = slope > threshold ? "rising" : slope < -threshold ? "declining" : "stable";
        return new Trend(direction, slope);
    }
}
