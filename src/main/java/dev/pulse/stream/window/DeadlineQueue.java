package dev.pulse.stream.window;

import java.util.Arrays;

/**
 * Families by deadline, least first: a binary min-heap in which each family knows its index, so a new
 * deadline moves it up or down in place instead of a remove and an add. Keys sit in a primitive array
 * next to the families, so sifting reads no family. Ties are left in any order: the caller sorts the
 * families it takes.
 */
final class DeadlineQueue {

    private long[] keys = new long[64];
    private Family[] families = new Family[64];
    private int size;

    /** The least deadline; {@link Millis#NEVER} when empty. */
    long first() {
        return size == 0 ? Millis.NEVER : keys[0];
    }

    /** Removes and returns the family with the least deadline; the queue must not be empty. */
    Family poll() {
        Family first = families[0];
        removeAt(0);
        return first;
    }

    /** Queues {@code family} at {@code deadline}, or moves it there when queued already. */
    void schedule(Family family, long deadline) {
        family.deadline = deadline;
        int at = family.queueIndex;
        if (at < 0) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                families = Arrays.copyOf(families, size * 2);
            }
            siftUp(size++, deadline, family);
        } else if (deadline < keys[at]) {
            siftUp(at, deadline, family);
        } else if (deadline > keys[at]) {
            siftDown(at, deadline, family);
        }
    }

    void remove(Family family) {
        if (family.queueIndex >= 0) {
            removeAt(family.queueIndex);
        }
    }

    private void removeAt(int at) {
        families[at].queueIndex = -1;
        int last = --size;
        Family moved = families[last];
        long key = keys[last];
        families[last] = null;
        if (at == last) {
            return;
        }
        siftDown(at, key, moved);
        if (families[at] == moved) {
            siftUp(at, key, moved);
        }
    }

    private void siftUp(int at, long key, Family family) {
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (keys[parent] <= key) {
                break;
            }
            place(at, keys[parent], families[parent]);
            at = parent;
        }
        place(at, key, family);
    }

    private void siftDown(int at, long key, Family family) {
        int half = size >>> 1;
        while (at < half) {
            int child = 2 * at + 1;
            int right = child + 1;
            if (right < size && keys[right] < keys[child]) {
                child = right;
            }
            if (key <= keys[child]) {
                break;
            }
            place(at, keys[child], families[child]);
            at = child;
        }
        place(at, key, family);
    }

    private void place(int at, long key, Family family) {
        keys[at] = key;
        families[at] = family;
        family.queueIndex = at;
    }
}
