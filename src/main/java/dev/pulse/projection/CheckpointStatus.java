package dev.pulse.projection;

import java.time.Duration;
import java.time.Instant;

/**
 * One partition's row of {@code stream_checkpoints} as the status endpoint and health read it (SPEC §3.4).
 * Nullable: everything a partition claimed but never checkpointed lacks ({@code lastOffset}, times,
 * {@code processingLagSeconds}, {@code eventsPerSecond}), and {@code ownerInstance}/{@code lastError}.
 *
 * @param lastOffset      the last offset committed; the partition resumes after it
 * @param eventsPerSecond records consumed per second over the pipeline's recent window, as of {@code updatedDate}
 */
public record CheckpointStatus(int partition,
                               Long lastOffset,
                               Instant lastEventTimestamp,
                               Instant streamTime,
                               Instant watermark,
                               Double processingLagSeconds,
                               Double eventsPerSecond,
                               long eventsProcessedTotal,
                               long duplicatesDropped,
                               long lateEvents,
                               long deadLettered,
                               String status,
                               String lastError,
                               String ownerInstance,
                               long ownerEpoch,
                               Instant updatedDate) {

    /**
     * The window over which the pipeline measures {@code eventsPerSecond}. A row not updated for longer
     * had no checkpoint, hence no records, in the last window: its rate now is 0.
     */
    public static final Duration RATE_WINDOW = Duration.ofSeconds(10);
}
