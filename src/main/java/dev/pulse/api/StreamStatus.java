package dev.pulse.api;

import dev.pulse.ingest.kafka.LogEndOffsets.LogRange;
import dev.pulse.projection.CheckpointStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answer of {@code GET /api/stream/status} (SPEC §5.1, field names of §7), assembled from the
 * checkpoint rows and the broker's offsets. Pure: the caller supplies both and the wall clock.
 */
record StreamStatus(List<PartitionStatus> partitions, Totals totals) {

    StreamStatus {
        partitions = List.copyOf(partitions);
    }

    /**
     * One partition.
     *
     * @param offset          the last offset committed by a checkpoint (null before the first)
     * @param endOffset       the offset the broker gives the next record (null when the broker did not answer)
     * @param lag             records in the log not yet committed: {@code end_offset − (offset + 1)}, or from
     *                        the log's start before the first checkpoint
     * @param lagSeconds      wall clock − event time of the last processed event, at its checkpoint (SPEC §3.4
     *                        {@code processing_lag_seconds})
     * @param eventsPerSecond records consumed per second over the owner's last 10 s; 0 when the partition had no
     *                        checkpoint in that time
     * @param owner           the instance that last claimed the partition; {@code ownerEpoch} its claim's epoch
     */
    record PartitionStatus(int partition, Long offset, Long endOffset, Long lag, Double lagSeconds, Instant watermark,
                           Instant streamTime, Double eventsPerSecond, String owner, Long ownerEpoch, String status,
                           String lastError, Instant updatedDate) {
    }

    /** Over every partition; {@code received} = processed + duplicates dropped + dead-lettered records. */
    record Totals(long received, long processed, long duplicatesDropped, long lateEvents, long deadLettered) {
    }

    /**
     * @param ranges by partition; null when the broker could not be asked, which leaves {@code end_offset}
     *               and {@code lag} null
     */
    static StreamStatus of(List<CheckpointStatus> rows, Map<Integer, LogRange> ranges, Instant now) {
        Map<Integer, CheckpointStatus> byPartition = new TreeMap<>();
        rows.forEach(row -> byPartition.put(row.partition(), row));
        Map<Integer, LogRange> known = ranges == null ? Map.of() : ranges;
        TreeMap<Integer, PartitionStatus> partitions = new TreeMap<>();
        for (int partition : union(byPartition, known)) {
            partitions.put(partition, partition(byPartition.get(partition), known.get(partition), partition, now));
        }
        long processed = 0;
        long duplicates = 0;
        long late = 0;
        long dead = 0;
        for (CheckpointStatus row : rows) {
            processed += row.eventsProcessedTotal();
            duplicates += row.duplicatesDropped();
            late += row.lateEvents();
            dead += row.deadLettered();
        }
        return new StreamStatus(List.copyOf(partitions.values()),
                new Totals(processed + duplicates + dead, processed, duplicates, late, dead));
    }

    private static PartitionStatus partition(CheckpointStatus row, LogRange range, int partition, Instant now) {
        Long offset = row == null ? null : row.lastOffset();
        Long endOffset = range == null ? null : range.next();
        Long lag = null;
        if (range != null) {
            long next = offset == null ? range.earliest() : Math.max(offset + 1, range.earliest());
            lag = Math.max(0, range.next() - next);
        }
        if (row == null) {
            return new PartitionStatus(partition, null, endOffset, lag, null, null, null, 0.0, null, null, null, null, null);
        }
        return new PartitionStatus(partition, offset, endOffset, lag, row.processingLagSeconds(), row.watermark(),
                row.streamTime(), recentRate(row, now), row.ownerInstance(), row.ownerEpoch(), row.status(),
                row.lastError(), row.updatedDate());
    }

    private static double recentRate(CheckpointStatus row, Instant now) {
        if (row.eventsPerSecond() == null || row.updatedDate() == null
                || Duration.between(row.updatedDate(), now).compareTo(CheckpointStatus.RATE_WINDOW) > 0) {
            return 0.0;
        }
        return row.eventsPerSecond();
    }

    private static java.util.SortedSet<Integer> union(Map<Integer, ?> a, Map<Integer, ?> b) {
        java.util.TreeSet<Integer> all = new java.util.TreeSet<>(a.keySet());
        all.addAll(b.keySet());
        return all;
    }
}
