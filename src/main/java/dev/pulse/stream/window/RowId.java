package dev.pulse.stream.window;

import java.time.Instant;

/** The stored row's identity, as {@link CounterKey#sameRowAs} compares it: a hash key where rows are folded. */
record RowId(String familyId, WindowSpec spec, String eventType, Instant windowStart) {

    static RowId of(CounterKey key) {
        return new RowId(key.familyId(), key.spec(), key.eventType(), key.window().start());
    }
}
