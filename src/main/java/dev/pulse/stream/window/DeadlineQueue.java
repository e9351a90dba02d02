package dev.pulse.stream.window;

import java.util.Arrays;
import java.util.List;

/**
 * Families by deadline, least first: a 4-ary min-heap of (deadline, family) entries with lazy
 * deletion. Four children per node halve the levels a removal sifts through, and a node's children are
 * four adjacent longs (32 bytes, one cache line or two), so the levels saved are misses saved. A
 * family's deadline changes on nearly every event; rather than finding and moving its
 * entry, which writes an index into every family a sift passes (a cache miss each), a new entry is
 * pushed and the old one is skipped when it surfaces: an entry counts only while it matches the
 * family's {@link Family#deadline}. Sifting reads and writes the two arrays only. Ties come out in any
 * order: the caller sorts the families it takes.
 */
final class DeadlineQueue {

    private long[] keys = new long[64];
    private Family[] families = new Family[64];
    private int size;

    /** Queues {@code family} at {@code deadline} ({@link Millis#NEVER}: not at all), replacing its earlier deadline. */
    void schedule(Family family, long deadline) {
        if (deadline == family.deadline) {
            return;
        }
        family.deadline = deadline;
        if (deadline == Millis.NEVER) {
            return;
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            families = Arrays.copyOf(families, size * 2);
        }
        siftUp(size++, deadline, family);
    }

    /**
     * Removes the families due at {@code w} (deadline ≤ w) and adds them to {@code due}, each once,
     * marked {@link Family#due}; their {@link Family#deadline} is left as it was, for sorting, and they are
     * no longer queued: the caller sets it to {@link Millis#NEVER} before scheduling them again.
     */
    void takeDue(long w, List<Family> due) {
        while (size > 0 && keys[0] <= w) {
            long key = keys[0];
            Family family = families[0];
            removeFirst();
            if (family.deadline == key && !family.due) {
                family.due = true;
                due.add(family);
            }
        }
    }

    /** Entries, stale ones included. */
    int size() {
        return size;
    }

    /** Drops the stale entries: one entry per family of {@code live} that has a deadline. */
    void rebuild(Iterable<Family> live) {
        Arrays.fill(families, 0, size, null);
        size = 0;
        for (Family family : live) {
            if (family.deadline != Millis.NEVER) {
                if (size == keys.length) {
                    keys = Arrays.copyOf(keys, size * 2);
                    families = Arrays.copyOf(families, size * 2);
                }
                siftUp(size++, family.deadline, family);
            }
        }
    }

    /** The least deadline of a live entry; {@link Millis#NEVER} when none. */
    long first() {
        while (size > 0 && families[0].deadline != keys[0]) {
            removeFirst(); // stale: the family moved on
        }
        return size == 0 ? Millis.NEVER : keys[0];
    }

    private void removeFirst() {
        int last = --size;
        Family moved = families[last];
        long key = keys[last];
        families[last] = null;
        if (last > 0) {
            siftDown(key, moved);
        }
    }

    private void siftUp(int at, long key, Family family) {
        while (at > 0) {
            int parent = (at - 1) >>> 2;
            if (keys[parent] <= key) {
                break;
            }
            keys[at] = keys[parent];
            families[at] = families[parent];
            at = parent;
        }
        keys[at] = key;
        families[at] = family;
    }

    private void siftDown(long key, Family family) {
        int at = 0;
        while (true) {
            int first = 4 * at + 1;
            if (first >= size || first < 0) { // < 0: overflowed, past any size an int can hold
                break;
            }
            int least = first;
            long leastKey = keys[first];
            int end = Math.min(first + 4, size);
            for (int child = first + 1; child < end; child++) {
                if (keys[child] < leastKey) {
                    least = child;
                    leastKey = keys[child];
                }
            }
            if (key <= leastKey) {
                break;
            }
            keys[at] = leastKey;
            families[at] = families[least];
            at = least;
        }
        keys[at] = key;
        families[at] = family;
    }
}
