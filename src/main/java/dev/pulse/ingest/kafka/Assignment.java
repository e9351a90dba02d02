package dev.pulse.ingest.kafka;

import java.util.Set;

/**
 * Partitions newly assigned to this consumer in one rebalance. Generations increase with every
 * assignment of one receiver subscription, and every {@link LogRecord} carries the generation that was
 * current when it was decoded, so a lane created for this assignment can tell records read after its
 * seek from records of an earlier assignment still in flight downstream.
 */
public record Assignment(Set<Integer> partitions, long generation) {

    public Assignment {
        partitions = Set.copyOf(partitions);
    }
}
