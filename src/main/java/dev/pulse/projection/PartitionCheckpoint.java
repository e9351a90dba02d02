package dev.pulse.projection;

import dev.pulse.stream.time.StreamTime;
import dev.pulse.stream.time.Watermark;

/** What a partition resumes from: the next offset to read, its stream time and watermark (SPEC §3.4). */
public record PartitionCheckpoint(int partition, long nextOffset, StreamTime streamTime, Watermark watermark) {
}
