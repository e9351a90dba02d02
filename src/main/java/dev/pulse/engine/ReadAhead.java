package dev.pulse.engine;

import dev.pulse.event.Event;
import dev.pulse.family.AlertHistory;
import dev.pulse.rules.FamilyRules;
import dev.pulse.stream.operator.FamilyTimeline;
import dev.pulse.stream.window.IdTable;
import dev.pulse.stream.window.WindowCounter;
import java.util.Arrays;
import java.util.List;

/**
 * Brings into the cache the family state the engine's next {@value #GROUP} events (or computations) will read, before
 * it reads it. A family's state is a graph of small objects, at 10,000 families mostly not in the cache, and the
 * engine's code reaches it one pointer at a time with hundreds of instructions between two misses: each miss waits
 * alone, 150–300 ns on this machine. Here one short loop per level of the graph reads the same part of every family
 * of the group, loads that do not depend on each other, so the processor keeps a dozen of them in flight at once (a
 * pointer chase over 64 MiB: 165 ns a load for one chain, 10 ns each for sixteen interleaved). What it reads is only
 * summed, so nothing of the engine's state or results depends on it; a family it guessed wrong (a new one, or another
 * with the same hash) costs a miss and nothing else.
 * <p>
 * Mutable, single-threaded: one per engine.
 */
final class ReadAhead {

    /** Families read ahead at once: enough loads in flight to overlap, little enough state to stay in the L1/L2. */
    static final int GROUP = 32;

    private final String[] ids = new String[GROUP];
    private final Object[] slots = new Object[GROUP];
    private final Object[] timelines = new Object[GROUP];
    private final Object[] counters = new Object[GROUP];
    private final Object[] rules = new Object[GROUP];
    private final Object[] walks = new Object[GROUP];
    private final Object[] scratch = new Object[WindowCounter.PREFETCH_SCRATCH * GROUP];
    /** What was read, kept in a field so that the compiler cannot drop the reads. */
    private long sink;

    /** Before events {@code from} to {@code to} (exclusive; at most {@link #GROUP}) are applied. */
    void events(IdTable<FamilySlot> families, List<Event> events, int from, int to) {
        int n = to - from;
        for (int k = 0; k < n; k++) {
            ids[k] = events.get(from + k).aggregateId();
        }
        long read = families.prefetch(ids, n, slots);
        for (int k = 0; k < n; k++) {
            if (slots[k] instanceof FamilySlot slot) {
                timelines[k] = slot.timeline;
                counters[k] = slot.counters;
                rules[k] = slot.rules;
            }
        }
        read += FamilyTimeline.prefetch(timelines, n);
        read += WindowCounter.prefetch(counters, n, scratch);
        read += FamilyRules.prefetch(rules, n);
        clear(n);
        sink += read;
    }

    /** Before the families {@code from} to {@code to} (exclusive; at most {@link #GROUP}) of {@code dirty} are computed. */
    void computations(List<FamilySlot> dirty, int from, int to) {
        int n = to - from;
        for (int k = 0; k < n; k++) {
            FamilySlot slot = dirty.get(from + k);
            timelines[k] = slot.timeline;
            walks[k] = slot.walked;
        }
        long read = FamilyTimeline.prefetch(timelines, n);
        read += AlertHistory.prefetch(walks, n);
        clear(n);
        sink += read;
    }

    /** Lets go of the group's objects: a family's state is not kept reachable from here. */
    private void clear(int n) {
        Arrays.fill(ids, 0, n, null);
        Arrays.fill(slots, 0, n, null);
        Arrays.fill(timelines, 0, n, null);
        Arrays.fill(counters, 0, n, null);
        Arrays.fill(rules, 0, n, null);
        Arrays.fill(walks, 0, n, null);
    }
}
