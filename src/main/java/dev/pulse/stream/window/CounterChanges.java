package dev.pulse.stream.window;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The net effect of a micro-batch's outcomes on the counters table: per stored row (family, window type,
 * size, event type, window start) the last outcome wins, so {@code upserts} and {@code deletes} address
 * disjoint rows and can be written in bulk, in either order, in the checkpoint transaction. Within a
 * batch a row can be upserted and later superseded (a session merged into an earlier one), or deleted
 * and later written again (a count window shifted back); applying the raw outcomes as "all deletes, then
 * all upserts" would get those wrong. {@link WindowCounter#takeChanges} gives a batch's changes without
 * the outcomes.
 *
 * @param upserts rows to insert or update, in the order of their last outcome
 * @param deletes rows to delete (possibly never stored, when created and superseded within the batch)
 * @param lates   every late record, in order: one per window an event missed
 */
public record CounterChanges(List<CounterRow> upserts, List<CounterKey> deletes, List<Outcome.Late> lates) {

    public CounterChanges {
        upserts = List.copyOf(upserts);
        deletes = List.copyOf(deletes);
        lates = List.copyOf(lates);
    }

    /** Folds outcomes, in the order they were returned, into their net effect (see {@link RowId}). */
    public static CounterChanges of(List<Outcome> outcomes) {
        Map<RowId, Outcome> last = new LinkedHashMap<>();
        List<Outcome.Late> lates = new ArrayList<>();
        for (Outcome outcome : Objects.requireNonNull(outcomes, "outcomes")) {
            if (outcome instanceof Outcome.Updated updated) {
                RowId id = RowId.of(updated.row().key());
                last.remove(id); // re-insert: order follows the latest outcome
                last.put(id, outcome);
            } else if (outcome instanceof Outcome.Removed removed) {
                RowId id = RowId.of(removed.key());
                last.remove(id);
                last.put(id, outcome);
            } else {
                lates.add((Outcome.Late) outcome);
            }
        }
        List<CounterRow> upserts = new ArrayList<>();
        List<CounterKey> deletes = new ArrayList<>();
        for (Outcome outcome : last.values()) {
            if (outcome instanceof Outcome.Updated updated) {
                upserts.add(updated.row());
            } else {
                deletes.add(((Outcome.Removed) outcome).key());
            }
        }
        return new CounterChanges(upserts, deletes, lates);
    }

    public boolean isEmpty() {
        return upserts.isEmpty() && deletes.isEmpty() && lates.isEmpty();
    }
}
