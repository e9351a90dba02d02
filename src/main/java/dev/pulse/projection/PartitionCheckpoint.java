package dev.pulse.projection;

import dev.pulse.stream.time.StreamTime;

/** What a partition resumes from: the next offset to read and its stream time (SPEC §3.4). */
public record PartitionCheckpoint(int partition, long nextOffset, StreamTime streamTime) {
}
