package dev.pulse.event;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A read-only map of a few entries in one array, keys and values alternating, in the order the source map gave
 * them; null values are kept (JSON has them, {@link Map#copyOf} refuses them). An event's {@code event_data} is held
 * for the family's whole retention: as an unmodifiable {@link java.util.LinkedHashMap} one entry cost about 150 bytes
 * and two about 200, here 48 and 56 (issue 7: a million families must fit in 2 GiB). Lookups scan the array, which
 * for the handful of fields an event carries is as fast as hashing.
 */
final class CompactMap extends AbstractMap<String, Object> {

    private final Object[] keysAndValues;

    private CompactMap(Object[] keysAndValues) {
        this.keysAndValues = keysAndValues;
    }

    /** A compact copy of {@code source}, or the shared empty map. */
    static Map<String, Object> copyOf(Map<String, Object> source) {
        if (source.isEmpty()) {
            return Map.of();
        }
        if (source instanceof CompactMap compact) {
            return compact;
        }
        Object[] keysAndValues = new Object[source.size() * 2];
        int i = 0;
        for (Map.Entry<String, Object> entry : source.entrySet()) {
            keysAndValues[i++] = java.util.Objects.requireNonNull(entry.getKey(), "event_data key");
            keysAndValues[i++] = entry.getValue();
        }
        return new CompactMap(keysAndValues);
    }

    @Override
    public int size() {
        return keysAndValues.length / 2;
    }

    @Override
    public boolean isEmpty() {
        return false;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : keysAndValues[i + 1];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    private int indexOf(Object key) {
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return CompactMap.this.size();
            }

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keysAndValues.length;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        var entry = new SimpleImmutableEntry<>((String) keysAndValues[next], keysAndValues[next + 1]);
                        next += 2;
                        return entry;
                    }
                };
            }
        };
    }
}
