package dev.pulse.family;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What Pulse remembers of one family between events: the latest score, counts, and the event times
 * that can still fall in the 7-day range. Immutable. Score, count and last time are order-independent
 * folds (max, count); the kept times are a multiset pruned against the stream time of the family's
 * last update, so the state may hold a few times that can never count again, depending on arrival
 * order, while every metric read from it is the same whatever the order.
 *
 * @param recentEventTimesMs sorted epoch millis of events that may still be within 7 days of stream time
 */
public record FamilyState(String familyId,
                          ScoreObservation latestScore,
                          long eventsProcessed,
                          Instant lastEventTimestamp,
                          long[] recentEventTimesMs) {

    public FamilyState {
        Objects.requireNonNull(familyId, "familyId");
        recentEventTimesMs = recentEventTimesMs.clone();
    }

    public static FamilyState empty(String familyId) {
        return new FamilyState(familyId, null, 0, null, new long[0]);
    }

    @Override
    public long[] recentEventTimesMs() {
        return recentEventTimesMs.clone();
    }

    int recentCount() {
        return recentEventTimesMs.length;
    }

    long recentAt(int i) {
        return recentEventTimesMs[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FamilyState s
                && familyId.equals(s.familyId)
                && Objects.equals(latestScore, s.latestScore)
                && eventsProcessed == s.eventsProcessed
                && Objects.equals(lastEventTimestamp, s.lastEventTimestamp)
                && Arrays.equals(recentEventTimesMs, s.recentEventTimesMs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(familyId, latestScore, eventsProcessed, lastEventTimestamp, Arrays.hashCode(recentEventTimesMs));
    }

    @Override
    public String toString() {
        return "FamilyState[" + familyId + ", score=" + latestScore + ", processed=" + eventsProcessed
                + ", last=" + lastEventTimestamp + ", recent=" + recentEventTimesMs.length + "]";
    }
}
