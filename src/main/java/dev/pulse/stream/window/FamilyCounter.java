package dev.pulse.stream.window;

import dev.pulse.event.Event;
import dev.pulse.stream.time.Watermark;
import java.time.Instant;
import java.util.List;

/**
 * One family's counters for one window spec. Mutable, single-threaded. The caller ({@link WindowCounter})
 * always passes a watermark that never goes backwards and applies it with {@link #onWatermark} before the
 * next {@link #onEvent}, so the state never holds a window the watermark already closed.
 */
interface FamilyCounter {

    /** Counts {@code event} (of this family) and appends what changed, or a Late per window it missed. */
    void onEvent(Event event, Watermark watermark, List<Outcome> out);

    /** Appends rows that became final and forgets windows whose allowed lateness has passed. */
    void onWatermark(Watermark watermark, List<Outcome> out);

    /** The least watermark at which {@link #onWatermark} has something to do; null when nothing is pending. */
    Instant nextDeadline();

    /** True when this counter holds nothing, so it can be dropped and recreated empty. */
    boolean isEmpty();

    /** Adds this counter's state to the lists of a {@link WindowSnapshot}. */
    void snapshot(List<CounterRow> openRows, List<WindowSnapshot.CountEvent> countEvents, List<WindowSnapshot.Closed> closed);

    /**
     * Takes this spec's part of {@code snapshot} into an empty counter. Rows may be stale (taken before
     * {@code watermark} advanced): the caller applies {@link #onWatermark} right after.
     */
    void restore(WindowSnapshot snapshot, Watermark watermark);

    /** The earlier of two deadlines, {@code a} possibly null (none yet). */
    static Instant earliest(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
