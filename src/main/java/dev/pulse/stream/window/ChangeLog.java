package dev.pulse.stream.window;

import dev.pulse.event.Event;
import dev.pulse.stream.time.Watermark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A batch's changes as {@link CounterChanges#of} would fold them, kept as they happen: one entry per
 * stored row, ordered by the row's latest change, so the last change wins. Live rows are their own
 * entries and are read when the batch is taken, so an event costs an array write instead of an
 * outcome, a row copy and a hash lookup. Computed rows and deletions (count windows, merged sessions:
 * rare) are entries found by {@link RowId}.
 * <p>
 * Entries sit in an array in order of their latest change; a row changed again leaves a hole where it was
 * ({@link LiveRow#logIndex} finds it) and moves to the end. Taking the batch walks the array: unlike a linked
 * list, the next entry's address does not wait for the previous entry to load, so the walk's cache misses
 * overlap (a linked walk was the log's largest cost, at a few entries per event).
 * <p>
 * A live row has one identity for its life and no two live rows share one, with one exception: a
 * family restored into a counter that dropped it earlier in the batch. After a restore the batch is
 * folded by identity when taken, as {@link CounterChanges#of} does.
 */
final class ChangeLog implements ChangeSink {

    private static final CounterChanges NONE = new CounterChanges(List.of(), List.of(), List.of());

    private static final int MIN_CAPACITY = 64;
    /** How many entries ahead {@link #drain} touches an entry before reading it. */
    private static final int AHEAD = 8;

    /** Entries by latest change; null where an entry was changed again later, or removed. */
    private LiveRow[] entries = new LiveRow[MIN_CAPACITY];
    /** Slots used in {@link #entries}, holes included. */
    private int size;
    /** Entries held, holes excluded. */
    private int live;
    private final Map<RowId, Computed> computed = new HashMap<>();
    /**
     * The families of {@link #computed}'s entries. Once a batch has one (a session merged early in the batch), every
     * later live row would otherwise build a {@link RowId} and hash it to look for a deletion it supersedes; only a row
     * of one of these families can find one.
     */
    private final Set<String> computedFamilies = new HashSet<>();
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
        if (row.logIndex >= 0) {
            moveToTail(row);
            return;
        }
        if (!computed.isEmpty() && computedFamilies.contains(row.familyId())) {
            // A deletion of the same stored row earlier in the batch is superseded by this upsert.
            Computed earlier = computed.remove(RowId.of(row.key()));
            if (earlier != null) {
                unlink(earlier);
            }
        }
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
        if (row.logIndex >= 0) {
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

    /**
     * The net changes since the previous call, rows as of the watermark {@code w} (epoch ms); the log is empty
     * afterwards.
     */
    CounterChanges drain(long w) {
        if (live == 0 && lates.isEmpty()) {
            return NONE;
        }
        List<Outcome> folded = foldByIdentity ? new ArrayList<>() : null;
        // Sized for the usual batch, all upserts: List.of copies the array once, and CounterChanges keeps that list.
        CounterRow[] upserts = new CounterRow[live];
        int upserted = 0;
        List<CounterKey> deletes = new ArrayList<>();
        LiveRow[] entries = this.entries;
        for (int i = 0; i < Math.min(AHEAD, size); i++) {
            forget(entries[i]);
        }
        for (int i = 0; i < size; i++) {
            if (i + AHEAD < size) {
                // Written ahead of reading: the store's cache miss is waited for by no one, and it brings the entry in
                // for its turn, so the misses of a batch's entries overlap instead of stalling each row in turn.
                forget(entries[i + AHEAD]);
            }
            LiveRow entry = entries[i];
            if (entry == null) {
                continue;
            }
            entries[i] = null;
            CounterKey deleted = entry instanceof Computed c ? c.deleted : null;
            if (folded != null) {
                folded.add(deleted != null ? new Outcome.Removed(deleted) : new Outcome.Updated(entry.row(w)));
            } else if (deleted != null) {
                deletes.add(deleted);
            } else {
                upserts[upserted++] = entry.row(w);
            }
        }
        CounterChanges changes;
        if (folded != null) {
            folded.addAll(lates);
            changes = CounterChanges.of(folded);
        } else {
            changes = new CounterChanges(
                    List.of(upserted == upserts.length ? upserts : Arrays.copyOf(upserts, upserted)), deletes, lates);
        }
        if (entries.length > MIN_CAPACITY && size < entries.length / 4) {
            this.entries = new LiveRow[Math.max(MIN_CAPACITY, entries.length / 2)]; // a burst's array is not kept for good
        }
        size = 0;
        live = 0;
        computed.clear();
        computedFamilies.clear();
        lates.clear();
        foldByIdentity = false;
        return changes;
    }

    /** Marks {@code entry} (null: a hole) as no longer logged; nothing reads that mark while the log is drained. */
    private static void forget(LiveRow entry) {
        if (entry != null) {
            entry.logIndex = -1;
        }
    }

    private Computed entryFor(CounterKey key) {
        RowId id = RowId.of(key);
        Computed entry = computed.get(id);
        if (entry == null) {
            entry = new Computed();
            computed.put(id, entry);
            computedFamilies.add(key.familyId());
            append(entry);
        } else {
            moveToTail(entry);
        }
        return entry;
    }

    private void moveToTail(LiveRow row) {
        if (row.logIndex != size - 1) {
            unlink(row);
            append(row);
        }
    }

    private void append(LiveRow row) {
        if (size == entries.length) {
            makeRoom();
        }
        row.logIndex = size;
        entries[size++] = row;
        live++;
    }

    private void unlink(LiveRow row) {
        entries[row.logIndex] = null;
        row.logIndex = -1;
        live--;
    }

    /** Squeezes out the holes when they are at least half the array, else doubles it: at most twice the entries held. */
    private void makeRoom() {
        if (2 * live > size) {
            entries = Arrays.copyOf(entries, 2 * entries.length);
            return;
        }
        int kept = 0;
        for (int i = 0; i < size; i++) {
            LiveRow entry = entries[i];
            if (entry != null) {
                entry.logIndex = kept;
                entries[kept++] = entry;
            }
        }
        Arrays.fill(entries, kept, size, null);
        size = kept;
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
        String familyId() {
            return key().familyId();
        }

        /** As computed when logged: a later finality is not a change here (see the log's constructor). */
        @Override
        CounterRow row(long w) {
            return upserted;
        }
    }
}
