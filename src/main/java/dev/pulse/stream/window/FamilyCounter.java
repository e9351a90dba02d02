package dev.pulse.stream.window;

import dev.pulse.event.Event;
import dev.pulse.stream.time.Watermark;
import java.math.BigDecimal;
import java.util.List;

/**
 * One family's counters for one window spec. Mutable, single-threaded. The caller ({@link WindowCounter})
 * always passes a watermark that never goes backwards and applies it with {@link #onWatermark} before the
 * next {@link #onEvent}, so the state never holds a window the watermark already closed. Watermarks come
 * as epoch milliseconds rounded down ({@link Millis#floor}), {@link Long#MIN_VALUE} before any event.
 */
interface FamilyCounter {

    /** Makes one spec's empty counters, holding what they all share once per partition. */
    interface Factory {

        FamilyCounter newCounter(String familyId);
    }

    /**
     * Counts {@code event} (of this family) and reports what changed, or a Late per window it missed.
     *
     * @param value     {@link Aggregate#valueOf} the event, taken once for all specs
     * @param watermark the same watermark as {@code w}, for Late reports
     */
    void onEvent(Event event, BigDecimal value, long w, Watermark watermark, ChangeSink out);

    /** Reports rows that became final and forgets windows whose allowed lateness has passed. */
    void onWatermark(long w, ChangeSink out);

    /** The least watermark at which {@link #onWatermark} has something to do; {@link Millis#NEVER} when nothing is pending. */
    long nextDeadline();

    /** True when this counter holds nothing, so it can be dropped and recreated empty. */
    boolean isEmpty();

    /** Adds this counter's state to the lists of a {@link WindowSnapshot}. */
    void snapshot(List<CounterRow> openRows, List<WindowSnapshot.CountEvent> countEvents, List<WindowSnapshot.Closed> closed);

    /**
     * Takes this spec's part of {@code snapshot} into an empty counter. Rows may be stale (taken before
     * the watermark {@code w} advanced): the caller applies {@link #onWatermark} right after.
     */
    void restore(WindowSnapshot snapshot, long w);
}
