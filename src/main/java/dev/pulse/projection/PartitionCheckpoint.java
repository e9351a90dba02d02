package dev.pulse.projection;

import dev.pulse.stream.time.StreamTime;
import dev.pulse.stream.time.Watermark;

/**
 * A partition as claimed by this instance (SPEC §3.4, §4): the owner epoch every checkpoint of this
 * assignment must still find, and where processing resumes.
 *
 * @param epoch      the owner epoch this claim raised the row to
 * @param nextOffset the next offset to read, or null when nothing of the partition was ever checkpointed
 */
public record PartitionCheckpoint(int partition, long epoch, Long nextOffset, StreamTime streamTime, Watermark watermark) {
}
