package dev.pulse.family;

import dev.pulse.event.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Folds a family's distinct events into its {@link FamilyState} and reads {@link FamilyMetrics} off it
 * (SPEC §3.1). Pure: the caller passes stream time ({@code asOf}); duplicates must already be dropped.
 */
public final class FamilyMetricsOperator {

    static final Duration RECENT_RANGE = Duration.ofDays(7);

    private final AlertThresholds thresholds;

    public FamilyMetricsOperator(AlertThresholds thresholds) {
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
    }

    /**
     * @param asOf the partition's stream time after this event; events at or before {@code asOf − 7d}
     *             can never re-enter the range (stream time only grows), so they are forgotten here
     */
    public FamilyState apply(FamilyState state, Event event, Instant asOf) {
        if (!state.familyId().equals(event.aggregateId())) {
            throw new IllegalArgumentException(
                    "event " + event.eventId() + " belongs to " + event.aggregateId() + ", not " + state.familyId());
        }
        ScoreObservation latest = state.latestScore();
        var score = event.newScore();
        if (score.isPresent()) {
            ScoreObservation observed = new ScoreObservation(event.eventTimestamp(), event.eventId(), score.get());
            if (observed.isAfter(latest)) {
                latest = observed;
            }
        }
        Instant last = state.lastEventTimestamp() == null || event.eventTimestamp().isAfter(state.lastEventTimestamp())
                ? event.eventTimestamp()
                : state.lastEventTimestamp();
        long[] recent = withinRange(insertSorted(state.recentEventTimesMs(), event.eventTimestamp().toEpochMilli()), asOf);
        return new FamilyState(state.familyId(), latest, state.eventsProcessed() + 1, last, recent);
    }

    public FamilyMetrics metrics(FamilyState state, Instant asOf) {
        Integer score = state.latestScore() == null ? null : state.latestScore().score();
        return new FamilyMetrics(state.familyId(), score, state.eventsProcessed(), state.lastEventTimestamp(),
                countInRange(state, asOf), thresholds.levelOf(score), thresholds.reasonOf(score), asOf);
    }

    /** Events with t in {@code (asOf − 7d, asOf]} (SPEC §2). */
    private static int countInRange(FamilyState state, Instant asOf) {
        long fromExclusive = asOf.minus(RECENT_RANGE).toEpochMilli();
        long toInclusive = asOf.toEpochMilli();
        int count = 0;
        for (int i = 0; i < state.recentCount(); i++) {
            long t = state.recentAt(i);
            if (t > fromExclusive && t <= toInclusive) {
                count++;
            }
        }
        return count;
    }

    private static long[] insertSorted(long[] sorted, long value) {
        int at = Arrays.binarySearch(sorted, value);
        int insertion = at >= 0 ? at : -at - 1;
        long[] result = new long[sorted.length + 1];
        System.arraycopy(sorted, 0, result, 0, insertion);
        result[insertion] = value;
        System.arraycopy(sorted, insertion, result, insertion + 1, sorted.length - insertion);
        return result;
    }

    private static long[] withinRange(long[] sorted, Instant asOf) {
        long fromExclusive = asOf.minus(RECENT_RANGE).toEpochMilli();
        int firstKept = 0;
        while (firstKept < sorted.length && sorted[firstKept] <= fromExclusive) {
            firstKept++;
        }
        return firstKept == 0 ? sorted : Arrays.copyOfRange(sorted, firstKept, sorted.length);
    }
}
