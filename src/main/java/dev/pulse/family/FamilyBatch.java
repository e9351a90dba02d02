package dev.pulse.family;

import dev.pulse.event.Event;
import dev.pulse.stream.time.StreamTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Applies one micro-batch of a partition's distinct events to the families it touches, as a pure step
 * {@code (stream time, states, events) -> (stream time', changed states, metrics)}. Nothing is mutated:
 * the caller installs the changed states only once the batch is committed, so a failed commit leaves
 * no trace in memory.
 */
public final class FamilyBatch {

    private final FamilyMetricsOperator operator;

    public FamilyBatch(FamilyMetricsOperator operator) {
        this.operator = Objects.requireNonNull(operator, "operator");
    }

    /**
     * @param stateOf the current state of a family (an empty state when Pulse has none)
     * @return the changed states and their metrics, in the order the families first appear in {@code events}
     */
    public Result apply(StreamTime before, Function<String, FamilyState> stateOf, List<Event> events) {
        StreamTime after = before;
        for (Event event : events) {
            after = after.advance(event.eventTimestamp());
        }
        Map<String, FamilyState> changed = new LinkedHashMap<>();
        for (Event event : events) {
            FamilyState state = changed.computeIfAbsent(event.aggregateId(), stateOf);
            // Folding against the batch's final stream time is the same as folding event by event:
            // the state keeps a multiset and maxima, and pruning only drops times that can never return.
            changed.put(event.aggregateId(), operator.apply(state, event, after.instant()));
        }
        List<FamilyMetrics> metrics = new ArrayList<>(changed.size());
        for (FamilyState state : changed.values()) {
            metrics.add(operator.metrics(state, after.instant()));
        }
        return new Result(after, Map.copyOf(changed), List.copyOf(metrics));
    }

    public record Result(StreamTime streamTime, Map<String, FamilyState> changed, List<FamilyMetrics> metrics) {
    }
}
