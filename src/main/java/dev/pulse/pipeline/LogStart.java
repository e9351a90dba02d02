package dev.pulse.pipeline;

import java.util.Map;
import java.util.Set;

/**
 * Where a lane reads its partition from when the partition has no checkpoint yet: the log's beginning for a live
 * instance and a full rebuild, or each partition's first record at or after an instant for a rebuild from there
 * (SPEC §4.1, {@code pulse.replay.from}).
 */
@FunctionalInterface
public interface LogStart {

    /** Every partition from its first record. */
    LogStart BEGINNING = partitions -> Map.of();

    /**
     * The first offset to read of each of {@code partitions} (absent: the beginning of the log). Called on Kafka's
     * polling thread, which may block.
     */
    Map<Integer, Long> firstOffsets(Set<Integer> partitions);
}
