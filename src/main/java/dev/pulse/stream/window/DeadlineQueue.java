package dev.pulse.stream.window;

import java.util.Arrays;
import java.util.List;

/**
 * Families by deadline, least first: a 4-ary min-heap of (deadline, family) entries with lazy
 * deletion. Four children per node halve the levels a removal sifts through, and a node's children are
 * four adjacent longs (32 bytes, one cache line or two), so the levels saved are misses saved. A
 * family's deadline changes on nearly every event, nearly always to a later one; rather than finding and
 * moving its entry, which writes an index into every family a sift passes (a cache miss each), its entry
 * stays where it is ({@link Family#queued}) and, when it surfaces before the family's deadline, is queued
 * again at that deadline. Only a deadline that moved earlier pushes a new entry (the old one is skipped
 * when it surfaces). Entries once per event instead would pile up (with visits that wait an hour, about an
 * hour of events) and make the queue rebuild itself from every family. Sifting reads and writes the two
 * arrays only. Ties come out in any order: the caller sorts the families it takes.
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
        if (deadline < family.queued) {
            push(deadline, family);
        }
        // else its entry comes up no later than the deadline, and queues it again then
    }

    /** Queues the family at its deadline (not at all when it has none), in place of the entry it had. */
    private void queueAtDeadline(Family family) {
        family.queued = Millis.NEVER;
        if (family.deadline != Millis.NEVER) {
            push(family.deadline, family);
        }
    }

    private void push(long deadline, Family family) {
        family.queued = deadline;
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
            if (family.queued != key) {
                continue; // superseded by an earlier entry of the family's
            }
            if (family.deadline <= w) {
                family.queued = Millis.NEVER;
                if (!family.due) {
                    family.due = true;
                    due.add(family);
                }
            } else {
                queueAtDeadline(family); // later than w: not taken again in this loop
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
            queueAtDeadline(family);
        }
    }

    /** The least deadline of a queued family; {@link Millis#NEVER} when none. */
    long first() {
        while (size > 0) {
            long key = keys[0];
            Family family = families[0];
            if (family.queued == key && family.deadline == key) {
                return key;
            }
            removeFirst();
            if (family.queued == key) {
                queueAtDeadline(family); // its own entry, but its deadline moved later (or to none): it waits there now
            }
        }
        return Millis.NEVER;
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
