package dev.pulse.projection;

import dev.pulse.event.Event;
import java.time.Instant;

/**
 * The bookkeeping of one committed micro-batch of a partition, written to {@code stream_checkpoints}.
 *
 * @param lastOffset      the last offset of the batch (the partition resumes after it)
 * @param lastEvent       the batch's last processed event in log order, or null when it had none
 * @param processed       distinct new events applied
 * @param duplicates      events dropped as already seen
 * @param deadLettered    records sent to the dead-letter topic
 * @param lateEvents      events late for at least one window (each counted once, SPEC §7)
 */
public record BatchOutcome(int partition,
                           long lastOffset,
                           Event lastEvent,
                           long processed,
                           long duplicates,
                           long deadLettered,
                           long lateEvents,
                           Instant streamTime,
                           Instant watermark) {
}
