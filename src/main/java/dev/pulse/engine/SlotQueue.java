package dev.pulse.engine;

import java.util.Arrays;

/**
 * Families by a key of a long and an int, least first, then by family id: a binary min-heap kept in parallel
 * arrays. An instant is queued as its epoch second and nanosecond, so the order is exactly
 * {@link java.time.Instant}'s; epoch milliseconds as themselves and 0. The engine queues about one entry per
 * family: as objects in a {@code PriorityQueue} each entry cost a record (and often an instant) besides its slot
 * in the queue's array, here it costs 16 B. Entries equal in all three are indistinguishable, so the order in
 * which they come out does not matter. Mutable, single-threaded.
 */
final class SlotQueue {

    private long[] majors = new long[16];
    private int[] minors = new int[16];
    private FamilySlot[] slots = new FamilySlot[16];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    void add(long major, int minor, FamilySlot slot) {
        if (size == slots.length) {
            int grown = size + (size >> 1);
            majors = Arrays.copyOf(majors, grown);
            minors = Arrays.copyOf(minors, grown);
            slots = Arrays.copyOf(slots, grown);
        }
        int at = size++;
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!less(major, minor, slot, parent)) {
                break;
            }
            move(parent, at);
            at = parent;
        }
        put(at, major, minor, slot);
    }

    /** The least entry's long key; the queue must not be empty. */
    long firstMajor() {
        return majors[0];
    }

    /** The least entry's int key; the queue must not be empty. */
    int firstMinor() {
        return minors[0];
    }

    /** The least entry's family; the queue must not be empty. */
    FamilySlot firstSlot() {
        return slots[0];
    }

    /** Whether the least entry's key is greater than ({@code major}, {@code minor}); the queue must not be empty. */
    boolean firstIsAfter(long major, int minor) {
        return majors[0] != major ? majors[0] > major : minors[0] > minor;
    }

    /** Drops the least entry; the queue must not be empty. */
    void removeFirst() {
        int last = --size;
        long major = majors[last];
        int minor = minors[last];
        FamilySlot slot = slots[last];
        slots[last] = null;
        if (last == 0) {
            return;
        }
        int at = 0;
        int half = size >>> 1;
        while (at < half) {
            int child = 2 * at + 1;
            int right = child + 1;
            if (right < size && less(majors[right], minors[right], slots[right], child)) {
                child = right;
            }
            if (!less(majors[child], minors[child], slots[child], major, minor, slot)) {
                break;
            }
            move(child, at);
            at = child;
        }
        put(at, major, minor, slot);
    }

    private boolean less(long major, int minor, FamilySlot slot, int than) {
        return less(major, minor, slot, majors[than], minors[than], slots[than]);
    }

    private static boolean less(long major, int minor, FamilySlot slot, long thanMajor, int thanMinor, FamilySlot than) {
        if (major != thanMajor) {
            return major < thanMajor;
        }
        if (minor != thanMinor) {
            return minor < thanMinor;
        }
        return slot.familyId().compareTo(than.familyId()) < 0;
    }

    private void move(int from, int to) {
        majors[to] = majors[from];
        minors[to] = minors[from];
        slots[to] = slots[from];
    }

    private void put(int at, long major, int minor, FamilySlot slot) {
        majors[at] = major;
        minors[at] = minor;
        slots[at] = slot;
    }
}
