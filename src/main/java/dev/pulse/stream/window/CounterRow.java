package dev.pulse.stream.window;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A counter row's content as of a watermark (SPEC §3.2): its key, its aggregates (as {@link Aggregate} holds them),
 * and whether it is final (the watermark reached the window's end, SPEC §7). A final row can still change while the
 * window is within allowed lateness; it is then emitted again, still final.
 * <p>
 * The aggregates are held flat, not as an {@link Aggregate}: an engine emits about three rows per event, and an
 * object per row more cost it about 40 B per event. {@link #aggregate()} makes one when asked.
 */
public record CounterRow(CounterKey key, long eventCount, BigDecimal sum, BigDecimal min, BigDecimal max, boolean isFinal) {

    public CounterRow {
        Objects.requireNonNull(key, "key");
        Aggregate.check(eventCount, sum, min, max);
    }

    public CounterRow(CounterKey key, Aggregate aggregate, boolean isFinal) {
        this(key, aggregate.eventCount(), aggregate.sum(), aggregate.min(), aggregate.max(), isFinal);
    }

    public Aggregate aggregate() {
        return new Aggregate(eventCount, sum, min, max);
    }

    /** {@link Aggregate#avg()}: null without values. */
    public BigDecimal avg() {
        return Aggregate.avg(eventCount, sum);
    }

    public CounterRow asFinal() {
        return isFinal ? this : new CounterRow(key, eventCount, sum, min, max, true);
    }

    /** As when the row held an {@link Aggregate}: logs and output digests read the same. */
    @Override
    public String toString() {
        return "CounterRow[key=" + key + ", aggregate=Aggregate[eventCount=" + eventCount + ", sum=" + sum + ", min=" + min
                + ", max=" + max + "], isFinal=" + isFinal + "]";
    }
}
