package dev.pulse.family;

import java.util.List;

/** Engagement trend (SPEC §3.1): the least-squares slope over the last scores, with x = 0..n−1. */
public record Trend(String direction, double slope) {

    public static final Trend STABLE = new Trend("stable", 0.0);

    /** @param scores the last scores in event-time order (at most the configured number of points) */
    static Trend of(List<Integer> scores, double threshold) {
        int[] values = new int[scores.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = scores.get(i);
        }
        return of(values, 0, threshold);
    }

    /** @param scores the last scores in event-time order from index {@code from} on */
    static Trend of(int[] scores, int from, double threshold) {
        int n = scores.length - from;
        if (n < 2) {
            return STABLE;
        }
        // slope = (nΣxy − ΣxΣy) / (nΣx² − (Σx)²); numerator and denominator are exact integers, so the
        // comparison with the threshold is exact (a slope of exactly 2 is stable, SPEC §3.1).
        long sumX = 0;
        long sumY = 0;
        long sumXY = 0;
        long sumXX = 0;
        for (int x = 0; x < n; x++) {
            long y = scores[from + x];
            sumX += x;
            sumY += y;
            sumXY += x * y;
            sumXX += (long) x * x;
        }
        long num = n * sumXY - sumX * sumY;
        long den = n * sumXX - sumX * sumX;
        double slope = (double) num / den;
        String direction = num > threshold * den ? "rising" : num < -threshold * den ? "declining" : "stable";
        return new Trend(direction, slope);
    }
}
