package dev.pulse.stream.window;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies outcomes as the counters table does: upsert by (family, window type, size, event type, window
 * start), delete on {@link Outcome.Removed}. Fails when the list of one call both removes and upserts the
 * same stored row, which {@link Outcome} promises never to do, and when a batch's {@link CounterChanges}
 * are not disjoint.
 */
final class CounterProjection {

    private final Map<RowId, CounterRow> rows = new TreeMap<>();
    private final List<Outcome.Late> lates = new ArrayList<>();
    private int removals;

    /** Applies the outcomes of one call, in order. */
    CounterProjection apply(List<Outcome> outcomes) {
        for (Outcome outcome : requireOneCallPromise(outcomes)) {
            if (outcome instanceof Outcome.Updated updated) {
                rows.put(id(updated.row().key()), updated.row());
            } else if (outcome instanceof Outcome.Removed gone) {
                if (rows.remove(id(gone.key())) == null) {
                    throw new AssertionError("removed a row that was never stored: " + gone.key());
                }
                removals++;
            } else {
                lates.add((Outcome.Late) outcome);
            }
        }
        return this;
    }

    /** Applies a batch's net changes as bulk statements would: all deletes, then all upserts. */
    CounterProjection apply(CounterChanges changes) {
        Set<RowId> upserted = new HashSet<>();
        changes.upserts().forEach(row -> upserted.add(id(row.key())));
        for (CounterKey key : changes.deletes()) {
            if (upserted.contains(id(key))) {
                throw new AssertionError("changes both delete and upsert row " + id(key) + ": " + changes);
            }
            if (rows.remove(id(key)) != null) {
                removals++;
            }
        }
        changes.upserts().forEach(row -> rows.put(id(row.key()), row));
        lates.addAll(changes.lates());
        return this;
    }

    /** The promise of {@link Outcome} for the list one call returns; returns the list. */
    static List<Outcome> requireOneCallPromise(List<Outcome> outcomes) {
        Set<RowId> upserted = new HashSet<>();
        for (Outcome outcome : outcomes) {
            if (outcome instanceof Outcome.Updated updated) {
                upserted.add(id(updated.row().key()));
            }
        }
        for (Outcome outcome : outcomes) {
            if (outcome instanceof Outcome.Removed gone && upserted.contains(id(gone.key()))) {
                throw new AssertionError("one call removes and upserts row " + id(gone.key()) + ": " + outcomes);
            }
        }
        return outcomes;
    }

    /** The stored rows by row id, in id order (family, window type, size, event type, start). */
    Map<RowId, CounterRow> rows() {
        return rows;
    }

    List<Outcome.Late> lates() {
        return lates;
    }

    int removals() {
        return removals;
    }

    CounterRow row(String familyId, String eventType, WindowSpec spec, Instant windowStart) {
        return rows.get(new RowId(familyId, spec.type(), spec.sizeLabel(), eventType, windowStart));
    }

    static RowId id(CounterKey key) {
        return new RowId(key.familyId(), key.windowType(), key.size(), key.eventType(), key.window().start());
    }

    /** The counters table's primary key. */
    record RowId(String familyId, String windowType, String size, String eventType, Instant windowStart) implements Comparable<RowId> {
        private static final Comparator<RowId> ORDER = Comparator.comparing(RowId::familyId).thenComparing(RowId::windowType)
                .thenComparing(RowId::size).thenComparing(RowId::eventType).thenComparing(RowId::windowStart);

        @Override
        public int compareTo(RowId other) {
            return ORDER.compare(this, other);
        }
    }
}
