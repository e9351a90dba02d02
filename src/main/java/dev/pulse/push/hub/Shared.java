package dev.pulse.push.hub;

import java.util.Objects;
import java.util.function.Function;

/**
 * One value of a hub update, handed to every client, with its wire form encoded once for all of them:
 * with a hundred dashboards open the same row would otherwise be encoded a hundred times, and that CPU is
 * taken from the pipeline (docs/performance.md, live latency). Equal by value.
 */
public final class Shared<T> {

    private final T value;
    // Racy single-check: two threads may both encode, and both get the same bytes; no lock on the fan-out path.
    private volatile byte[] json;

    public Shared(T value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public T value() {
        return value;
    }

    /**
     * The value's JSON in UTF-8, encoded by {@code encoder} on the first call and remembered; callers must not
     * modify the array. Every caller passes the application's one JSON mapper, so which call encodes does not matter.
     */
    public byte[] json(Function<? super T, byte[]> encoder) {
        byte[] encoded = json;
        if (encoded == null) {
            encoded = encoder.apply(value);
            json = encoded;
        }
        return encoded;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Shared<?> shared && value.equals(shared.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "Shared[" + value + "]";
    }
}
