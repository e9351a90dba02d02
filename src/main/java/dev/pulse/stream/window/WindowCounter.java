package dev.pulse.stream.window;

import dev.pulse.event.Event;
import dev.pulse.stream.time.Watermark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The counters of SPEC §3.2 and §3.5 for one partition: per family, one counter per {@link WindowSpec}.
 * A deterministic step function, {@code (state, event | watermark) -> (state', outcomes)}; mutable and
 * single-threaded, owned by the partition's lane. Duplicates must be dropped before {@link #onEvent}.
 * <ul>
 *   <li>Tumbling and sliding rows are per (family, event type, window) with all aggregates; session rows
 *       are per family with event type {@code *} and event count only (SPEC §7); count windows are per
 *       (family, event type) (SPEC §3.5).</li>
 *   <li>A row is final when the watermark W ≥ its window's end. A window stays open for
 *       {@code allowedLateness} more: events for it still update it and re-emit it (final). Once
 *       W ≥ end + allowedLateness it is forgotten, and an event for it is {@link Outcome.Late} for that
 *       window only; it still counts in the windows it did not miss (SPEC §7).</li>
 *   <li>For events within the out-of-orderness bound, the final rows do not depend on arrival order or
 *       on where batches are cut.</li>
 * </ul>
 * The watermark a caller passes never moves this counter's watermark backwards: an older one is ignored.
 * <p>
 * State per family: its open windows, and for session and count windows the latest closed window, kept
 * for the family's life because a late event is judged against it. A family with none of these is
 * dropped. {@link #snapshot} and {@link #restore} carry this state across restarts (SPEC §4).
 */
public final class WindowCounter {

    private final List<WindowSpec> specs;
    private final Duration allowedLateness;
    private final Map<String, List<FamilyCounter>> families = new HashMap<>();
    /** One entry per family with pending work: the least watermark at which its counters change. */
    private final NavigableSet<Deadline> deadlines = new TreeSet<>(Deadline.ORDER);
    private final Map<String, Instant> deadlineOf = new HashMap<>();
    /** Families whose state changed since {@link #takeChangedFamilies}: the checkpoint's dirty set. */
    private final Set<String> changed = new TreeSet<>();
    private Watermark watermark = Watermark.NONE;

    /**
     * @param specs           the windows to count, each at most once, in the order their outcomes are listed
     * @param allowedLateness how long after W reaches a window's end it still takes events (SPEC §2)
     */
    public WindowCounter(List<WindowSpec> specs, Duration allowedLateness) {
        this.specs = List.copyOf(Objects.requireNonNull(specs, "specs"));
        for (int i = 0; i < this.specs.size(); i++) {
            if (this.specs.subList(0, i).contains(this.specs.get(i))) {
                throw new IllegalArgumentException("window spec " + this.specs.get(i) + " is listed twice in " + this.specs);
            }
        }
        this.allowedLateness = Objects.requireNonNull(allowedLateness, "allowedLateness");
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowedLateness must be >= 0, was " + allowedLateness);
        }
    }

    /** Counts {@link WindowSpec#DEFAULTS}: tumbling 1m and 1h, sessions with a 30m gap (SPEC §3.2). */
    public static WindowCounter withDefaultWindows(Duration allowedLateness) {
        return new WindowCounter(WindowSpec.DEFAULTS, allowedLateness);
    }

    /**
     * Applies {@code watermark} (as {@link #onWatermark}), then counts {@code event} in every window of every
     * spec that holds it.
     *
     * @param watermark the partition's watermark after this event arrived (the tracker's {@code onEvent})
     * @return rows that became final under the watermark, then, spec by spec, what the event changed:
     *         {@link Outcome.Updated} rows, {@link Outcome.Removed} keys of merged or shifted windows, and
     *         one {@link Outcome.Late} per window the event missed
     */
    public List<Outcome> onEvent(Event event, Watermark watermark) {
        Objects.requireNonNull(event, "event");
        List<Outcome> out = new ArrayList<>(advance(watermark));
        List<FamilyCounter> counters = families.computeIfAbsent(event.aggregateId(), this::countersFor);
        for (FamilyCounter counter : counters) {
            counter.onEvent(event, this.watermark, out);
        }
        changed.add(event.aggregateId());
        reschedule(event.aggregateId(), counters);
        return out;
    }

    /**
     * Rows that became final because W reached their window's end ({@link Outcome.Updated}, final), in
     * order of the families' deadlines; forgets windows with W ≥ end + allowed lateness.
     */
    public List<Outcome> onWatermark(Watermark watermark) {
        return advance(watermark);
    }

    /**
     * The family's state, exactly, for the checkpoint (SPEC §4); empty when this counter holds nothing for
     * it (delete the stored state). Take it for each family of {@link #takeChangedFamilies} at every
     * checkpoint.
     */
    public Optional<WindowSnapshot> snapshot(String familyId) {
        List<FamilyCounter> counters = families.get(familyId);
        if (counters == null) {
            return Optional.empty();
        }
        List<CounterRow> openRows = new ArrayList<>();
        List<WindowSnapshot.CountEvent> countEvents = new ArrayList<>();
        List<WindowSnapshot.Closed> closed = new ArrayList<>();
        for (FamilyCounter counter : counters) {
            counter.snapshot(openRows, countEvents, closed);
        }
        WindowSnapshot snapshot = new WindowSnapshot(familyId, openRows, countEvents, closed);
        return snapshot.isEmpty() ? Optional.empty() : Optional.of(snapshot);
    }

    /**
     * Re-installs a family from its snapshot, before any event of it is counted: first
     * {@link #onWatermark} the partition's restored watermark, then restore each family. Parts for specs
     * this counter does not count are ignored.
     *
     * @return what the current watermark does to the restored windows (rows now final) when the snapshot
     *         is older than the watermark; upserting them again is harmless
     * @throws IllegalStateException when the family is already counted here
     */
    public List<Outcome> restore(WindowSnapshot snapshot) {
        String familyId = snapshot.familyId();
        if (families.containsKey(familyId)) {
            throw new IllegalStateException("family " + familyId + " is already counted; restore it before its events");
        }
        List<FamilyCounter> counters = countersFor(familyId);
        List<Outcome> out = new ArrayList<>();
        for (FamilyCounter counter : counters) {
            counter.restore(snapshot, watermark);
            counter.onWatermark(watermark, out);
        }
        families.put(familyId, counters);
        changed.add(familyId);
        reschedule(familyId, counters);
        return out;
    }

    /**
     * The families whose state changed since the previous call (an event counted, a window made final or
     * forgotten, a family restored), distinct and in id order; the set is cleared. An event can change
     * state without any outcome (the first events of a count window), so outcomes alone do not name every
     * family to snapshot.
     */
    public List<String> takeChangedFamilies() {
        List<String> taken = List.copyOf(changed);
        changed.clear();
        return taken;
    }

    /** The latest watermark applied. */
    public Watermark watermark() {
        return watermark;
    }

    public List<WindowSpec> specs() {
        return specs;
    }

    public Duration allowedLateness() {
        return allowedLateness;
    }

    private List<Outcome> advance(Watermark candidate) {
        Objects.requireNonNull(candidate, "watermark");
        if (!candidate.isAfter(watermark)) {
            return List.of();
        }
        watermark = candidate;
        List<Outcome> out = new ArrayList<>();
        while (!deadlines.isEmpty() && watermark.hasReached(deadlines.first().at())) {
            String familyId = deadlines.pollFirst().familyId();
            deadlineOf.remove(familyId);
            List<FamilyCounter> counters = families.get(familyId);
            for (FamilyCounter counter : counters) {
                counter.onWatermark(watermark, out);
            }
            changed.add(familyId);
            reschedule(familyId, counters);
        }
        return out;
    }

    private void reschedule(String familyId, List<FamilyCounter> counters) {
        Instant previous = deadlineOf.remove(familyId);
        if (previous != null) {
            deadlines.remove(new Deadline(previous, familyId));
        }
        Instant next = null;
        for (FamilyCounter counter : counters) {
            Instant deadline = counter.nextDeadline();
            next = deadline == null ? next : FamilyCounter.earliest(next, deadline);
        }
        if (next != null) {
            deadlines.add(new Deadline(next, familyId));
            deadlineOf.put(familyId, next);
        } else if (counters.stream().allMatch(FamilyCounter::isEmpty)) {
            families.remove(familyId);
        }
    }

    private List<FamilyCounter> countersFor(String familyId) {
        List<FamilyCounter> counters = new ArrayList<>(specs.size());
        for (WindowSpec spec : specs) {
            counters.add(counterFor(familyId, spec));
        }
        return counters;
    }

    private FamilyCounter counterFor(String familyId, WindowSpec spec) {
        if (spec instanceof WindowSpec.Aligned aligned) {
            return new AlignedWindowCounter(familyId, aligned, allowedLateness);
        }
        if (spec instanceof WindowSpec.Session session) {
            return new SessionWindowCounter(familyId, session, allowedLateness);
        }
        return new CountWindowCounter(familyId, (WindowSpec.Count) spec, allowedLateness);
    }

    private record Deadline(Instant at, String familyId) {
        static final Comparator<Deadline> ORDER =
                Comparator.comparing(Deadline::at).thenComparing(Deadline::familyId);
    }
}
