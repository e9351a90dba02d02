package dev.pulse.stream.window;

import dev.pulse.event.Event;
import dev.pulse.stream.time.Watermark;

/**
 * Where a family's counters report what an event or a watermark changed. {@link OutcomeList} turns each
 * report into an {@link Outcome} at once (the per-call API); {@link ChangeLog} keeps only each row's net
 * effect for the batch, reading live rows when the batch is taken (the engine's path).
 */
interface ChangeSink {

    /** {@code row} changed (new, or updated by an event): upsert its current state. */
    void updated(LiveRow row);

    /** A computed row to upsert (count windows, which recompute rather than keep live rows). */
    void updated(CounterRow row);

    /** The watermark reached {@code row}'s window's end: it is final now, its content unchanged. */
    default void finalized(LiveRow row) {
        updated(row);
    }

    /**
     * Whether {@link #finalized} reports anything. A watermark's only reports are rows made final, so when this is
     * false the order in which it visits families is not observable and need not be sorted.
     */
    default boolean reportsFinality() {
        return true;
    }

    /** As {@link #finalized(LiveRow)}, for a computed row. */
    default void finalized(CounterRow row) {
        updated(row);
    }

    /** {@code row} no longer exists (a session merged into an earlier one); it will not change again. */
    void removed(LiveRow row);

    /** The stored row {@code key} no longer exists (a count window shifted). */
    void removed(CounterKey key);

    /** {@code event} missed {@code window}, which closed before it arrived. */
    void late(Event event, WindowSpec spec, Window window, Watermark watermark);
}
