package dev.pulse.stream.window;

import java.util.Arrays;
import java.util.Comparator;

/** One family's counters, one per spec, and its bookkeeping in {@link WindowCounter}. */
final class Family implements WindowCounter.Handle {

    /** The order in which a rising watermark visits families, so that outcomes do not depend on hashing. */
    static final Comparator<Family> BY_DEADLINE_THEN_ID = (a, b) ->
            a.deadline != b.deadline ? Long.compare(a.deadline, b.deadline) : a.id.compareTo(b.id);

    final String id;
    /** By factory (a spec, or two consecutive aligned specs); null where the counter holds nothing (see {@code WindowCounter#schedule}). */
    final FamilyCounter[] counters;
    /**
     * Each counter's {@link FamilyCounter#nextDeadline} as of its last change: a watermark visits only the counters
     * due, and the family's deadline is taken from here, without reading the counters that did not change.
     */
    final long[] deadlines;
    /**
     * The watermark (epoch ms) at which the watermark visits the family: its counters' least deadline, or that much
     * later when visits may wait ({@code WindowCounter#VISIT_AFTER}); {@link Millis#NEVER} when none has work.
     */
    long deadline = Millis.NEVER;
    /** The deadline of the family's entry in the {@link DeadlineQueue}, at or before {@link #deadline}; NEVER: none. */
    long queued = Millis.NEVER;
    /** Taken from the {@link DeadlineQueue} by the watermark being applied. */
    boolean due;
    /** The take of the changed families ({@code WindowCounter#take}) that lists this one; 0: none yet. */
    int changedIn;
    /** Removed from its counter (it held nothing): a handle to it no longer counts. */
    boolean dropped;

    Family(String id, FamilyCounter[] counters) {
        this.id = id;
        this.counters = counters;
        this.deadlines = new long[counters.length];
        Arrays.fill(deadlines, Millis.NEVER);
    }

    boolean isEmpty() {
        for (FamilyCounter counter : counters) {
            if (counter != null && !counter.isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
