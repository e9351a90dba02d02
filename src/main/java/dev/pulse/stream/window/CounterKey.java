package dev.pulse.stream.window;

import java.util.Objects;

/**
 * Names one counter row (SPEC §3.2): a family, an event type ({@link #ALL_TYPES} for sessions), a
 * window spec and a window. The projection's primary key is (family, window type, size, event type,
 * window start): {@link #sameRowAs} compares exactly that.
 */
public record CounterKey(String familyId, String eventType, WindowSpec spec, Window window) {

    /** The event type of session rows, which count all types of a family (SPEC §7). */
    public static final String ALL_TYPES = "*";

    public CounterKey {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(window, "window");
    }

    /** {@code window_type}: tumbling, sliding, session or count. */
    public String windowType() {
        return spec.type();
    }

    /** {@code size}: the configuration shorthand ({@code 1m}, {@code 1h/5m}, {@code 30m}, {@code 5/1}). */
    public String size() {
        return spec.sizeLabel();
    }

    /** True when both keys address the same stored row: equal family, spec, event type and window start. */
    public boolean sameRowAs(CounterKey other) {
        return familyId.equals(other.familyId) && spec.equals(other.spec)
                && eventType.equals(other.eventType) && window.start().equals(other.window.start());
    }
}
