package dev.pulse.projection;

/**
 * A checkpoint transaction found the partition's owner epoch raised by another claim (SPEC §4 fencing):
 * the partition has been assigned elsewhere since this lane claimed it, and the transaction rolls back.
 * Not a failure of the partition: its new owner carries on from the stored checkpoint.
 */
public final class PartitionFencedException extends RuntimeException {

    private final int partition;
    private final long expectedEpoch;
    private final Long foundEpoch;
    private final String foundOwner;

    public PartitionFencedException(int partition, long expectedEpoch, Long foundEpoch, String foundOwner) {
        super("partition " + partition + " is fenced: expected owner epoch " + expectedEpoch + ", found "
                + (foundEpoch == null ? "no checkpoint row" : foundEpoch + " owned by " + foundOwner));
        this.partition = partition;
        this.expectedEpoch = expectedEpoch;
        this.foundEpoch = foundEpoch;
        this.foundOwner = foundOwner;
    }

    public int partition() {
        return partition;
    }

    public long expectedEpoch() {
        return expectedEpoch;
    }

    /** Null when the row is gone. */
    public Long foundEpoch() {
        return foundEpoch;
    }

    public String foundOwner() {
        return foundOwner;
    }
}
