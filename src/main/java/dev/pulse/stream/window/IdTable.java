package dev.pulse.stream.window;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Values by the id each one carries (a partition's families by family id): an open-addressing hash table, linear
 * probing, of the values and their ids' hashes in two arrays. A {@code HashMap} spends a 32 B node per entry besides
 * its table; at a million families per partition that node is 32 MB per map, and the engine keeps two. Here an entry
 * costs its two array slots, about 14 B at the usual load. Iterates in table order: no order to rely on, as a
 * {@code HashMap}'s. Mutable, single-threaded.
 * <p>
 * Ids are chosen by whoever produces events, and {@code String.hashCode} collisions are easy to make ("Aa" and "BB"
 * hash alike, and so does every string of such pairs): ids made to collide would make each lookup walk all of them.
 * A {@code HashMap} bounds that by turning a crowded bin into a tree; this table, once an insertion probes past
 * {@value #MAX_PROBE} slots (a run that well-spread ids practically never reach), moves everything into a
 * {@code HashMap} and stays there.
 *
 * @param <V> the values; {@code idOf} must give a value the same id for as long as it is held
 */
public final class IdTable<V> {

    private static final int MIN_CAPACITY = 16;
    /** The longest probe an insertion may take before the table gives way to a {@code HashMap}. */
    static final int MAX_PROBE = 128;

    private final Function<? super V, String> idOf;
    private int[] hashes = new int[MIN_CAPACITY];
    private Object[] values = new Object[MIN_CAPACITY];
    /** 32 − log2(capacity): the multiplicative hash's top bits are the index. */
    private int shift = Integer.SIZE - Integer.numberOfTrailingZeros(MIN_CAPACITY);
    private int size;
    /** Every value, once a probe ran past {@link #MAX_PROBE}; the arrays are dropped then. */
    private HashMap<String, V> flooded;
    /** {@link #prefetch}'s hashes, kept from one call to the next. */
    private int[] hashScratch = new int[0];

    public IdTable(Function<? super V, String> idOf) {
        this.idOf = Objects.requireNonNull(idOf, "idOf");
    }

    public int size() {
        return flooded != null ? flooded.size() : size;
    }

    public boolean containsKey(String id) {
        return get(id) != null;
    }

    /** The value with this id, or null. */
    @SuppressWarnings("unchecked")
    public V get(String id) {
        if (flooded != null) {
            return flooded.get(id);
        }
        int i = find(id, id.hashCode());
        return i < 0 ? null : (V) values[i];
    }

    /**
     * Puts into {@code out[k]} the value {@link #get} would find for {@code ids[k]}, for the first {@code n} ids: or
     * another value of the same hash, or null. For a caller reading ahead of its events ({@code engine.ReadAhead}):
     * ids are not compared, and the lookups are two short loops whose cache misses overlap. Changes nothing; answers
     * a sum of what it read.
     */
    public long prefetch(String[] ids, int n, Object[] out) {
        if (flooded != null) {
            return 0;
        }
        int[] hs = hashScratch.length >= n ? hashScratch : (hashScratch = new int[n]);
        for (int k = 0; k < n; k++) {
            hs[k] = ids[k].hashCode();
        }
        int mask = values.length - 1;
        long sink = 0;
        for (int k = 0; k < n; k++) {
            int h = hs[k];
            int i = home(h);
            while (values[i] != null && hashes[i] != h) {
                i = (i + 1) & mask;
            }
            out[k] = values[i];
            sink += i;
        }
        return sink;
    }

    /** Holds {@code value} under its id, instead of any value held with the same id; answers that one, or null. */
    @SuppressWarnings("unchecked")
    public V put(V value) {
        String id = idOf.apply(value);
        if (flooded != null) {
            return flooded.put(id, value);
        }
        int hash = id.hashCode();
        int i = find(id, hash);
        if (i >= 0) {
            V before = (V) values[i];
            values[i] = value;
            return before;
        }
        int longest = 4 * (size + 1) > 3 * values.length ? grow() : 0;
        longest = Math.max(longest, insert(hash, value));
        size++;
        if (longest > MAX_PROBE) {
            flood();
        }
        return null;
    }

    /** Drops the value with this id; answers it, or null when none was held. */
    @SuppressWarnings("unchecked")
    public V remove(String id) {
        if (flooded != null) {
            return flooded.remove(id);
        }
        int hole = find(id, id.hashCode());
        if (hole < 0) {
            return null;
        }
        V removed = (V) values[hole];
        int mask = values.length - 1;
        // Backward shift: each later entry of the run moves into the hole when the hole lies on its probe path,
        // so that every entry stays reachable from its home slot without tombstones.
        for (int j = (hole + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = home(hashes[j]);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                values[hole] = values[j];
                hashes[hole] = hashes[j];
                hole = j;
            }
        }
        values[hole] = null;
        hashes[hole] = 0;
        size--;
        return removed;
    }

    /** The values held, in table order (a read-only copy). */
    public List<V> values() {
        return collect(Function.identity());
    }

    /** The ids held, in table order (a read-only copy). */
    public List<String> ids() {
        return collect(idOf);
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> collect(Function<? super V, ? extends T> of) {
        List<T> out = new ArrayList<>(size());
        for (Object value : flooded != null ? flooded.values().toArray() : values) {
            if (value != null) {
                out.add(of.apply((V) value));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The slot holding the value with this id, or −1. */
    @SuppressWarnings("unchecked")
    private int find(String id, int hash) {
        int mask = values.length - 1;
        for (int i = home(hash); ; i = (i + 1) & mask) {
            Object value = values[i];
            if (value == null) {
                return -1;
            }
            if (hashes[i] == hash && idOf.apply((V) value).equals(id)) {
                return i;
            }
        }
    }

    /** Where a hash's probe starts: Fibonacci hashing, so that ids with hashes in a run (family-1, family-2, …) spread. */
    private int home(int hash) {
        return (hash * 0x9E3779B9) >>> shift;
    }

    /** Answers how many slots the insertion probed past its home. */
    private int insert(int hash, Object value) {
        int mask = values.length - 1;
        int i = home(hash);
        int probed = 0;
        while (values[i] != null) {
            i = (i + 1) & mask;
            probed++;
        }
        values[i] = value;
        hashes[i] = hash;
        return probed;
    }

    @SuppressWarnings("unchecked")
    private void flood() {
        flooded = new HashMap<>(2 * size);
        for (Object value : values) {
            if (value != null) {
                flooded.put(idOf.apply((V) value), (V) value);
            }
        }
        values = null;
        hashes = null;
    }

    /** Doubles the table; answers the longest probe of the re-insertions. */
    private int grow() {
        int[] oldHashes = hashes;
        Object[] oldValues = values;
        hashes = new int[oldValues.length * 2];
        values = new Object[oldValues.length * 2];
        shift--;
        int longest = 0;
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != null) {
                longest = Math.max(longest, insert(oldHashes[i], oldValues[i]));
            }
        }
        return longest;
    }
}
