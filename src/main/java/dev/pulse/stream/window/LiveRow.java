package dev.pulse.stream.window;

/**
 * A counter row held as mutable state (a tumbling or sliding slot, a session), which the counter updates
 * in place. It is its own entry in the batch's {@link ChangeLog}: the index below makes "this row changed
 * again" a move to the log's end, with no lookup and no allocation per event.
 */
abstract class LiveRow {

    /** Where the batch's {@link ChangeLog} holds this row; −1 when it does not. */
    int logIndex = -1;

    /** The stored row this state writes; fixed for the life of the state as far as {@link CounterKey#sameRowAs} goes. */
    abstract CounterKey key();

    /** {@code key().familyId()}, without making the key. */
    abstract String familyId();

    /** The row as of now. */
    final CounterRow row() {
        return row(Long.MIN_VALUE);
    }

    /**
     * The row as of watermark {@code w} (epoch ms): final also when {@code w} reached its window's end before a
     * watermark visit marked it so ({@code WindowCounter#VISIT_AFTER}).
     */
    abstract CounterRow row(long w);
}
