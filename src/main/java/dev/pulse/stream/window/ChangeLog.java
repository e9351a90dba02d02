package dev.pulse.stream.window;

import dev.pulse.event.Event;
import dev.pulse.stream.time.Watermark;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch's changes as {@link CounterChanges#of} would fold them, kept as they happen: one entry per
 * stored row, ordered by the row's latest change, so the last change wins. Live rows are their own
 * entries and are read when the batch is taken, so an event costs a few pointer writes instead of an
 * outcome, a row copy and a hash lookup. Computed rows and deletions (count windows, merged sessions:
 * rare) are entries found by {@link RowId}.
 * <p>
 * A live row has one identity for its life and no two live rows share one, with one exception: a
 * family restored into a counter that dropped it earlier in the batch. After a restore the batch is
 * folded by identity when taken, as {@link CounterChanges#of} does.
 */
final class ChangeLog implements ChangeSink {

    private static final CounterChanges NONE = new CounterChanges(List.of(), List.of(), List.of());

    private LiveRow head;
    private LiveRow tail;
    private final Map<RowId, Computed> computed = new HashMap<>();
    private final List<Outcome.Late> lates = new ArrayList<>();
    private boolean foldByIdentity;
    private final boolean finality;

    /**
     * @param finality whether a row that only became final is a change. Not for the engine: a stored row's
     *                 finality is its window's end against the partition's stored watermark, so writing it again
     *                 would rewrite, at every minute boundary, every row of the minute that just closed
     */
    ChangeLog(boolean finality) {
        this.finality = finality;
    }

    /** A family was restored: a row may now be logged by two states (see the class comment). */
    void restored() {
        foldByIdentity = true;
    }

    @Override
    public void updated(LiveRow row) {
        if (row.logged) {
            moveToTail(row);
            return;
        }
        if (!computed.isEmpty()) {
            // A deletion of the same stored row earlier in the batch is superseded by this upsert.
            Computed earlier = computed.remove(RowId.of(row.key()));
            if (earlier != null) {
                unlink(earlier);
            }
        }
        row.logged = true;
        append(row);
    }

    @Override
    public void updated(CounterRow row) {
        entryFor(row.key()).set(row, null);
    }

    @Override
    public boolean reportsFinality() {
        return finality;
    }

    @Override
    public void finalized(LiveRow row) {
        if (finality) {
            updated(row);
        }
    }

    @Override
    public void finalized(CounterRow row) {
        if (finality) {
            updated(row);
        }
    }

    @Override
    public void removed(LiveRow row) {
        if (row.logged) {
            unlink(row);
        }
        entryFor(row.key()).set(null, row.key());
    }

    @Override
    public void removed(CounterKey key) {
        entryFor(key).set(null, key);
    }

    @Override
    public void late(Event event, WindowSpec spec, Window window, Watermark watermark) {
        lates.add(new Outcome.Late(event, spec, window, watermark));
    }

    /** The net changes since the previous call; the log is empty afterwards. */
    CounterChanges drain() {
        if (head == null && lates.isEmpty()) {
            return NONE;
        }
        List<Outcome> folded = foldByIdentity ? new ArrayList<>() : null;
        List<CounterRow> upserts = new ArrayList<>();
        List<CounterKey> deletes = new ArrayList<>();
        for (LiveRow entry = head; entry != null; ) {
            LiveRow next = entry.next;
            CounterKey deleted = entry instanceof Computed c ? c.deleted : null;
            if (folded != null) {
                folded.add(deleted != null ? new Outcome.Removed(deleted) : new Outcome.Updated(entry.row()));
            } else if (deleted != null) {
                deletes.add(deleted);
            } else {
                upserts.add(entry.row());
            }
            entry.previous = null;
            entry.next = null;
            entry.logged = false;
            entry = next;
        }
        CounterChanges changes;
        if (folded != null) {
            folded.addAll(lates);
            changes = CounterChanges.of(folded);
        } else {
            changes = new CounterChanges(upserts, deletes, lates);
        }
        head = null;
        tail = null;
        computed.clear();
        lates.clear();
        foldByIdentity = false;
        return changes;
    }

    private Computed entryFor(CounterKey key) {
        RowId id = RowId.of(key);
        Computed entry = computed.get(id);
        if (entry == null) {
            entry = new Computed();
            computed.put(id, entry);
            entry.logged = true;
            append(entry);
        } else {
            moveToTail(entry);
        }
        return entry;
    }

    private void moveToTail(LiveRow row) {
        if (row != tail) {
            unlink(row);
            row.logged = true;
            append(row);
        }
    }

    private void append(LiveRow row) {
        row.previous = tail;
        row.next = null;
        if (tail == null) {
            head = row;
        } else {
            tail.next = row;
        }
        tail = row;
    }

    private void unlink(LiveRow row) {
        if (row.previous == null) {
            head = row.next;
        } else {
            row.previous.next = row.next;
        }
        if (row.next == null) {
            tail = row.previous;
        } else {
            row.next.previous = row.previous;
        }
        row.previous = null;
        row.next = null;
        row.logged = false;
    }

    /** A row logged by value: the latest upsert of a computed row, or a deletion. */
    private static final class Computed extends LiveRow {

        private CounterRow upserted;
        private CounterKey deleted;

        void set(CounterRow upserted, CounterKey deleted) {
            this.upserted = upserted;
            this.deleted = deleted;
        }

        @Override
        CounterKey key() {
            return deleted != null ? deleted : upserted.key();
        }

        @Override
        CounterRow row() {
            return upserted;
        }
    }
}
