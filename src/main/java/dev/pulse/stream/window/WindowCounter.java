package dev.pulse.stream.window;

import dev.pulse.event.Event;
import dev.pulse.stream.time.EpochMillis;
import dev.pulse.stream.time.Watermark;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The counters of SPEC §3.2 and §3.5 for one partition: per family, one counter per {@link WindowSpec} (two
 * consecutive aligned specs share one).
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
 * dropped when the watermark visits it (without reported finality, up to {@code VISIT_AFTER} after its windows
 * closed, unless its next event comes first). {@link #snapshot} and {@link #restore} carry this state across
 * restarts (SPEC §4).
 * <p>
 * Two ways to take what changed. {@link #onEvent}, {@link #onWatermark} and {@link #restore} return
 * their {@link Outcome}s, one call at a time. {@link #count}, {@link #advanceTo} and {@link #restoreFamily}
 * do the same but keep only the net effect, which {@link #takeChanges} returns as the batch's
 * {@link CounterChanges}: exactly {@link CounterChanges#of} the outcomes the first three would have
 * returned, without building them (the engine's path: a row changed by many events of a batch is
 * copied once). Each change is reported by one of the two, so drive a batch through one of them.
 */
public final class WindowCounter {

    private final List<WindowSpec> specs;
    private final Duration allowedLateness;
    private final long latenessMs;
    /**
     * What makes each of a family's counters (with what those counters share): one per spec, except that two
     * consecutive aligned specs share one counter. Their outcomes keep the specs' order.
     */
    private final FamilyCounter.Factory[] factories;
    /** Whether a spec needs the events' numeric value (sessions count only). */
    private final boolean valued;
    private final IdTable<Family> families = new IdTable<>(family -> family.id);
    /** Every family with pending work, by the least watermark at which its counters change. */
    private final DeadlineQueue deadlines = new DeadlineQueue();
    /** Families whose state changed since {@link #takeChangedFamilies}: the checkpoint's dirty set. */
    private final List<Family> changed = new ArrayList<>();
    /** The families of {@link #changed} that were restored: the ones {@link #takeChangedFamiliesBeside} looks up. */
    private final List<Family> restored = new ArrayList<>();
    /**
     * Numbers the takes of the changed families: a family is listed in {@link #changed} when its
     * {@link Family#changedIn} is this, so a take need not visit each family to unmark it.
     */
    private int take = 1;
    private final List<Family> due = new ArrayList<>();
    private final ChangeLog log;
    /**
     * How long past its due time a family waits for the watermark to visit it; 0: visited at once. In between, its
     * next event (or snapshot) does the visit's work, on state it is reading anyway (see the constructor).
     */
    private final long visitAfterMs;
    private Watermark watermark = Watermark.NONE;
    /** {@link #watermark} in epoch milliseconds, rounded down ({@link Millis#floor}). */
    private long watermarkMs = Long.MIN_VALUE;

    /**
     * @param specs           the windows to count, each at most once, in the order their outcomes are listed
     * @param allowedLateness how long after W reaches a window's end it still takes events (SPEC §2)
     */
    public WindowCounter(List<WindowSpec> specs, Duration allowedLateness) {
        this(specs, allowedLateness, true);
    }

    /**
     * @param finalRowsAreChanges whether {@link #takeChanges} reports a row that only became final (the per-call
     *                            API always does). The engine passes false: the store derives a row's finality from
     *                            the partition's watermark, stored with every checkpoint, and writing each row again
     *                            as its window closes would double the counters' writes, all of a minute's rows in
     *                            the one checkpoint that crosses its end (docs/performance.md, live latency)
     */
    public WindowCounter(List<WindowSpec> specs, Duration allowedLateness, boolean finalRowsAreChanges) {
        this(specs, allowedLateness, finalRowsAreChanges, finalRowsAreChanges ? Duration.ZERO : VISIT_AFTER);
    }

    /**
     * Without reported finality, a watermark that reaches a family's windows only forgets what it closed: nothing
     * reaches the output. That work waits for the family's next event, which reads the same state anyway, or for
     * {@code VISIT_AFTER}: a family with an event every few minutes is then never visited by the watermark, a visit
     * that found its state out of the CPU's caches (at 10,000 families about one visit per event; waiting saves 6 % of
     * the engine's CPU time, docs/performance.md). Rows, snapshots and changed families are exactly those of a counter that
     * visits at once ({@code WindowCounterOrderIndependenceTest}); a family's closed windows are held for at most
     * that much longer.
     */
    static final Duration VISIT_AFTER = Duration.ofHours(1);

    /** @param visitAfter how long a due family may wait for its visit; more than 0 only without reported finality */
    WindowCounter(List<WindowSpec> specs, Duration allowedLateness, boolean finalRowsAreChanges, Duration visitAfter) {
        if (finalRowsAreChanges && !visitAfter.isZero()) {
            throw new IllegalArgumentException(
                    "rows made final are reported when the watermark makes them so: visitAfter must be 0");
        }
        this.visitAfterMs = Millis.ceil(visitAfter);
        this.log = new ChangeLog(finalRowsAreChanges);
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
        this.latenessMs = Millis.ceil(allowedLateness);
        this.valued = this.specs.stream().anyMatch(spec -> !(spec instanceof WindowSpec.Session));
        this.factories = factories(this.specs, latenessMs);
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
        OutcomeList out = new OutcomeList();
        count(event, watermark, null, out);
        return out.outcomes();
    }

    /** As {@link #onEvent}; what it changes is kept for {@link #takeChanges}. */
    public void count(Event event, Watermark watermark) {
        count(event, watermark, null, log);
    }

    /**
     * A family's counters as {@link #count(Event, Watermark, Handle)} returns them, for a caller that keeps
     * per-family state of its own: handing it back spares a lookup by id, a cache miss per event.
     */
    public sealed interface Handle permits Family {
    }

    /**
     * As {@link #count(Event, Watermark)}, given what the previous call for the event's family returned
     * (null when none): a handle of a family since dropped is ignored.
     *
     * @return the handle to pass with the family's next event
     */
    public Handle count(Event event, Watermark watermark, Handle family) {
        return count(event, watermark, (Family) family, log);
    }

    /** The scratch {@link #prefetch} needs per family: the counters it reads ahead of each, at most. */
    public static final int PREFETCH_SCRATCH = 4;

    /**
     * Reads what {@link #count} reads of these families' counters (the first {@code n} {@link Handle}s; nulls are
     * skipped), for a caller reading ahead of its events ({@code engine.ReadAhead}): two levels, each one short loop
     * over every family, so that their cache misses overlap. Changes nothing; answers a sum of what it read.
     *
     * @param scratch room for {@link #PREFETCH_SCRATCH} per family; left empty
     */
    public static long prefetch(Object[] handles, int n, Object[] scratch) {
        long sink = 0;
        int m = 0;
        for (int k = 0; k < n; k++) {
            if (handles[k] instanceof Family family) {
                sink += family.deadline;
                for (FamilyCounter counter : family.counters) {
                    if (counter != null && m < scratch.length) {
                        scratch[m++] = counter;
                    }
                }
            }
        }
        for (int k = 0; k < m; k++) {
            if (scratch[k] instanceof AlignedWindowCounter aligned) {
                sink += aligned.prefetch();
            } else if (scratch[k] instanceof SessionWindowCounter sessions) {
                sink += sessions.prefetch();
            }
            scratch[k] = null;
        }
        return sink;
    }

    /**
     * Rows that became final because W reached their window's end ({@link Outcome.Updated}, final), in
     * order of the families' deadlines; forgets windows with W ≥ end + allowed lateness.
     */
    public List<Outcome> onWatermark(Watermark watermark) {
        OutcomeList out = new OutcomeList();
        advance(watermark, out);
        return out.outcomes();
    }

    /** As {@link #onWatermark}; what it changes is kept for {@link #takeChanges}. */
    public void advanceTo(Watermark watermark) {
        advance(watermark, log);
    }

    /**
     * The net effect of every {@link #count}, {@link #advanceTo} and {@link #restoreFamily} since the
     * previous call: {@link CounterChanges#of} their outcomes, in the order they happened.
     */
    public CounterChanges takeChanges() {
        return log.drain(watermarkMs);
    }

    /**
     * The family's state, exactly, for the checkpoint (SPEC §4); empty when this counter holds nothing for
     * it (delete the stored state). Take it for each family of {@link #takeChangedFamilies} at every
     * checkpoint.
     */
    public Optional<WindowSnapshot> snapshot(String familyId) {
        Family family = families.get(familyId);
        if (family == null) {
            return Optional.empty();
        }
        visitIfDue(family, log); // its state is now what a visit would have left: a family dropped then holds nothing
        List<CounterRow> openRows = new ArrayList<>();
        List<WindowSnapshot.CountEvent> countEvents = new ArrayList<>();
        List<WindowSnapshot.Closed> closed = new ArrayList<>();
        for (FamilyCounter counter : family.counters) {
            if (counter != null) {
                counter.snapshot(openRows, countEvents, closed);
            }
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
        OutcomeList out = new OutcomeList();
        restore(snapshot, out);
        return out.outcomes();
    }

    /** As {@link #restore}; what it changes is kept for {@link #takeChanges}. */
    public void restoreFamily(WindowSnapshot snapshot) {
        log.restored();
        restore(snapshot, log);
    }

    /**
     * The families whose state changed since the previous call (an event counted, a family restored), distinct
     * and in id order; the set is cleared. An event can change state without any outcome (the first events of a
     * count window), so outcomes alone do not name every family to snapshot. A watermark that only made windows
     * final or forgot them changes no family here: their last snapshot, restored under that watermark, comes to
     * the same state.
     */
    public List<String> takeChangedFamilies() {
        if (changed.isEmpty()) {
            return List.of();
        }
        String[] ids = new String[changed.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = changed.get(i).id;
        }
        nextTake();
        Arrays.sort(ids);
        int distinct = 0;
        for (String id : ids) {
            // A family dropped and counted again is two entries with one id.
            if (distinct == 0 || !ids[distinct - 1].equals(id)) {
                ids[distinct++] = id;
            }
        }
        return List.of(Arrays.copyOf(ids, distinct));
    }

    /**
     * {@link #takeChangedFamilies} for a caller that already lists every family it counted since the previous take (the
     * engine lists each arrival's family) and tells by itself which it lists ({@code listed}): answers the changed
     * families it does not list, in id order, which are only families restored since; only those are looked up.
     * Visiting every counted family again, out of the CPU's caches by the batch's end, was most of the cost. Checked
     * when assertions are on, as in the tests. An id may be answered twice (a family dropped and restored again); the
     * caller lists it once.
     */
    public List<String> takeChangedFamiliesBeside(Predicate<String> listed) {
        assert countedAreIn(listed) : "a family counted since the previous take is not listed";
        List<String> missing = List.of();
        if (!restored.isEmpty()) {
            missing = new ArrayList<>();
            for (Family family : restored) {
                if (!listed.test(family.id)) {
                    missing.add(family.id);
                }
            }
            missing.sort(null);
        }
        nextTake();
        return missing;
    }

    private boolean countedAreIn(Predicate<String> listed) {
        Set<Family> restoredOnes = Collections.newSetFromMap(new IdentityHashMap<>());
        restoredOnes.addAll(restored);
        return changed.stream().allMatch(family -> restoredOnes.contains(family) || listed.test(family.id));
    }

    private void nextTake() {
        changed.clear();
        restored.clear();
        if (++take == Integer.MAX_VALUE) {
            // Every 2^31 takes: no family may still hold a number the next takes will give out.
            for (Family family : families.values()) {
                family.changedIn = 0;
            }
            take = 1;
        }
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

    private Family count(Event event, Watermark candidate, Family known, ChangeSink out) {
        Objects.requireNonNull(event, "event");
        advance(candidate, out);
        // After advancing: the watermark may have dropped the family the handle names.
        Family family = known != null && !known.dropped ? known : families.get(event.aggregateId());
        assert family == null || family.id.equals(event.aggregateId()) : "handle of " + family.id + " for " + event.aggregateId();
        if (family == null) {
            family = newFamily(event.aggregateId());
            families.put(family);
        } else {
            catchUp(family, out);
        }
        BigDecimal value = valued ? Aggregate.valueOf(event) : null;
        FamilyCounter[] counters = family.counters;
        for (int i = 0; i < counters.length; i++) {
            if (counters[i] == null) {
                counters[i] = factories[i].newCounter(family.id);
            }
            counters[i].onEvent(event, value, watermarkMs, watermark, out);
        }
        markChanged(family);
        reschedule(family);
        if (deadlines.size() > 2 * families.size() + 1024) {
            deadlines.rebuild(families.values()); // a deadline moved per event leaves a stale entry per event
        }
        return family;
    }

    private void advance(Watermark candidate, ChangeSink out) {
        Objects.requireNonNull(candidate, "watermark");
        if (!candidate.isAfter(watermark)) {
            return;
        }
        watermark = candidate;
        // W reaches a whole-millisecond time e exactly when floor(W) ≥ e, for a watermark of any precision; the
        // watermark before any event (Instant.MIN) saturates.
        watermarkMs = EpochMillis.floor(candidate.instant());
        if (deadlines.first() > watermarkMs) {
            return; // the common case: the watermark moved, but no window ends yet
        }
        deadlines.takeDue(watermarkMs, due);
        // Each family's counters leave nothing at or before W, so every due family is visited once. Sorted only when
        // the sink lists rows made final (nothing else is reported here): else the visiting order is not observable.
        if (out.reportsFinality()) {
            due.sort(Family.BY_DEADLINE_THEN_ID);
        }
        for (Family family : due) {
            family.due = false;
            family.deadline = Millis.NEVER;
            // Only the counters due: any other has nothing to do at W (its deadline is later), and is not read.
            for (int i = 0; i < family.counters.length; i++) {
                FamilyCounter counter = family.counters[i];
                if (counter != null && family.deadlines[i] <= watermarkMs) {
                    counter.onWatermark(watermarkMs, out);
                    family.deadlines[i] = counter.nextDeadline();
                }
            }
            // Not marked changed: what the watermark alone does (rows made final, windows forgotten) a restore
            // under the same or a later watermark does again (restore applies it), so the family's stored
            // snapshot stays valid. Marking it would rewrite the head of every family with a window ending here,
            // all in the one checkpoint that crosses a minute boundary (docs/performance.md, live latency).
            schedule(family);
        }
        due.clear();
    }

    private void restore(WindowSnapshot snapshot, ChangeSink out) {
        String familyId = snapshot.familyId();
        Family present = families.get(familyId);
        if (present != null) {
            visitIfDue(present, out); // a visit now due may drop it, as one made at once would have
            if (!present.dropped) {
                throw new IllegalStateException("family " + familyId + " is already counted; restore it before its events");
            }
        }
        Family family = newFamily(familyId);
        for (FamilyCounter counter : family.counters) {
            counter.restore(snapshot, watermarkMs);
            counter.onWatermark(watermarkMs, out);
        }
        families.put(family);
        markChanged(family);
        restored.add(family);
        reschedule(family);
    }

    /**
     * Does the work of a watermark visit the family still waits for ({@link #visitAfterMs}): each counter due at the
     * current watermark applies it. Answers whether any was due; the caller takes their new deadlines. With visits made
     * at once, none is ever due here.
     */
    private boolean catchUp(Family family, ChangeSink out) {
        boolean any = false;
        FamilyCounter[] counters = family.counters;
        for (int i = 0; i < counters.length; i++) {
            if (counters[i] != null && family.deadlines[i] <= watermarkMs) {
                counters[i].onWatermark(watermarkMs, out);
                any = true;
            }
        }
        return any;
    }

    /** {@link #catchUp}, then the family's new deadlines, which drop it when it holds nothing any more. */
    private void visitIfDue(Family family, ChangeSink out) {
        if (catchUp(family, out)) {
            reschedule(family);
        }
    }

    private void markChanged(Family family) {
        if (family.changedIn != take) {
            family.changedIn = take;
            changed.add(family);
        }
    }

    /** Takes every counter's next deadline (all may have changed; none for a counter let go), then {@link #schedule}s the family. */
    private void reschedule(Family family) {
        for (int i = 0; i < family.counters.length; i++) {
            FamilyCounter counter = family.counters[i];
            family.deadlines[i] = counter == null ? Millis.NEVER : counter.nextDeadline();
        }
        schedule(family);
    }

    /**
     * Queues the family at its counters' least deadline, as {@link Family#deadlines} holds them; drops it when empty.
     * Lets go of the counters that hold nothing and have nothing to do (an empty one is made again by the family's
     * next event): most of a family's windows are forgotten long before the family is, and a counter per spec per
     * family would stay for good.
     */
    private void schedule(Family family) {
        long next = Millis.NEVER;
        FamilyCounter[] counters = family.counters;
        for (int i = 0; i < counters.length; i++) {
            if (counters[i] != null && family.deadlines[i] == Millis.NEVER && counters[i].isEmpty()) {
                counters[i] = null;
            }
            next = Math.min(next, family.deadlines[i]);
        }
        deadlines.schedule(family, next == Millis.NEVER ? next : Millis.plus(next, visitAfterMs));
        if (next == Millis.NEVER && family.isEmpty()) {
            families.remove(family.id);
            family.dropped = true;
        }
    }

    private Family newFamily(String familyId) {
        FamilyCounter[] counters = new FamilyCounter[factories.length];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = factories[i].newCounter(familyId);
        }
        return new Family(familyId, counters);
    }

    private static FamilyCounter.Factory[] factories(List<WindowSpec> specs, long latenessMs) {
        List<FamilyCounter.Factory> factories = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            WindowSpec spec = specs.get(i);
            if (spec instanceof WindowSpec.Aligned aligned) {
                AlignedWindowCounter.Shape first = new AlignedWindowCounter.Shape(aligned, latenessMs);
                if (i + 1 < specs.size() && specs.get(i + 1) instanceof WindowSpec.Aligned next) {
                    factories.add(new AlignedWindowCounter.Pair(first, new AlignedWindowCounter.Shape(next, latenessMs)));
                    i++;
                } else {
                    factories.add(new AlignedWindowCounter.Pair(first, null));
                }
            } else if (spec instanceof WindowSpec.Session session) {
                factories.add(new SessionWindowCounter.Shape(session, latenessMs));
            } else {
                WindowSpec.Count count = (WindowSpec.Count) spec;
                factories.add(familyId -> new CountWindowCounter(familyId, count, latenessMs));
            }
        }
        return factories.toArray(new FamilyCounter.Factory[0]);
    }
}
