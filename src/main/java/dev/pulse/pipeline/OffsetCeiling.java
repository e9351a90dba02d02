package dev.pulse.pipeline;

/**
 * The highest log offset (inclusive) a partition's lane may checkpoint now. A live instance has none
 * ({@link #UNBOUNDED}); a replay (SPEC §4.1) never runs ahead of the live checkpoints it is to replace, so
 * that at switch-over it can stop at exactly their offsets. Records above the ceiling wait in their lane
 * (which stops asking for more) until the ceiling rises. Read on the lane's thread: must not block.
 */
@FunctionalInterface
public interface OffsetCeiling {

    OffsetCeiling UNBOUNDED = partition -> Long.MAX_VALUE;

    /** The highest offset of {@code partition} that may be processed now; -1 for none. */
    long highest(int partition);
}
