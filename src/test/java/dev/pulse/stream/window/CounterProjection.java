package dev.pulse.stream.window;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies outcomes as the counters table does: upsert by (family, window type, size, event type, window
 * start), delete on {@link Outcome.Removed}. Fails when one outcome list both removes and upserts the
 * same stored row, which {@link Outcome} promises never to do.
 */
final class CounterProjection {

    private final Map<String, CounterRow> rows = new TreeMap<>();
    private final List<Outcome.Late> lates = new ArrayList<>();
    private int removals;

    CounterProjection apply(List<Outcome> outcomes) {
        List<String> upserted = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome instanceof Outcome.Updated updated) {
                upserted.add(id(updated.row().key()));
                rows.put(id(updated.row().key()), updated.row());
            } else if (outcome instanceof Outcome.Removed gone) {
                removed.add(id(gone.key()));
                if (rows.remove(id(gone.key())) == null) {
                    throw new AssertionError("removed a row that was never stored: " + gone.key());
                }
                removals++;
            } else {
                lates.add((Outcome.Late) outcome);
            }
        }
        for (String id : removed) {
            if (upserted.contains(id)) {
                throw new AssertionError("one outcome list removes and upserts row " + id + ": " + outcomes);
            }
        }
        return this;
    }

    /** The stored rows by row id, in id order. */
    Map<String, CounterRow> rows() {
        return rows;
    }

    List<Outcome.Late> lates() {
        return lates;
    }

    int removals() {
        return removals;
    }

    CounterRow row(String familyId, String eventType, WindowSpec spec, Instant windowStart) {
        return rows.get(String.join("|", familyId, spec.type(), spec.sizeLabel(), eventType, windowStart.toString()));
    }

    static String id(CounterKey key) {
        return String.join("|", key.familyId(), key.windowType(), key.size(), key.eventType(), key.window().start().toString());
    }
}
