package dev.pulse.stream.window;

import java.util.Objects;

/**
 * A counter row's content as of a watermark (SPEC §3.2): its key, its aggregates, and whether it is final
 * (the watermark reached the window's end, SPEC §7). A final row can still change while the window is
 * within allowed lateness; it is then emitted again, still final.
 */
public record CounterRow(CounterKey key, Aggregate aggregate, boolean isFinal) {

    public CounterRow {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(aggregate, "aggregate");
    }

    public CounterRow asFinal() {
        return isFinal ? this : new CounterRow(key, aggregate, true);
    }
}
