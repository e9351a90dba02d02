package dev.pulse.stream.window;

import dev.pulse.event.Event;
import dev.pulse.stream.time.Watermark;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Count windows of one family, per event type (SPEC §3.5). The events of a type, in SPEC §7 order
 * (event time, then event id), are numbered 0, 1, 2, …; window j holds events {@code j·slide} to
 * {@code j·slide + size − 1} and is emitted once it is complete. Its {@link Window} is
 * {@code [time of its first event, time of its last event + 1 ms)}: half-open like every window, so
 * "final when W ≥ end" is "final when the watermark passes the time of its last (N-th) event".
 * <p>
 * An out-of-order event shifts every later event by one place, so it changes every window from the
 * first one that reaches its place. Those rows are recomputed and diffed against what was emitted: a
 * window whose start moved is {@link Outcome.Removed} and its successor {@link Outcome.Updated}. An
 * event within the out-of-orderness bound sorts after every event of every final window, so final
 * rows never change (with no allowed lateness) and the rows do not depend on arrival order.
 * <p>
 * Lateness: a window is closed when W ≥ end + allowed lateness; then its events before the next
 * window's first are dropped. An event that sorts before the last event of the latest closed window
 * would change that window: it is late for it.
 */
final class CountWindowCounter implements FamilyCounter {

    private final String familyId;
    private final WindowSpec.Count spec;
    private final long latenessMs;
    private final Map<String, Run> runs = new TreeMap<>();

    CountWindowCounter(String familyId, WindowSpec.Count spec, long latenessMs) {
        this.familyId = familyId;
        this.spec = spec;
        this.latenessMs = latenessMs;
    }

    @Override
    public void onEvent(Event event, BigDecimal value, long w, Watermark watermark, ChangeSink out) {
        runs.computeIfAbsent(event.eventType(), Run::new).onEvent(event, value, w, watermark, out);
    }

    @Override
    public void onWatermark(long w, ChangeSink out) {
        for (Run run : runs.values()) {
            run.onWatermark(w, out);
        }
    }

    @Override
    public long nextDeadline() {
        long next = Millis.NEVER;
        for (Run run : runs.values()) {
            next = Math.min(next, run.nextDeadline());
        }
        return next;
    }

    @Override
    public boolean isEmpty() {
        return runs.values().stream().allMatch(Run::isEmpty);
    }

    @Override
    public void snapshot(List<CounterRow> openRows, List<WindowSnapshot.CountEvent> countEvents, List<WindowSnapshot.Closed> closed) {
        for (Run run : runs.values()) {
            for (Entry entry : run.entries) {
                countEvents.add(new WindowSnapshot.CountEvent(spec, run.eventType, entry.time(), entry.eventId(), entry.value()));
            }
            if (run.closedThrough != null) {
                closed.add(new WindowSnapshot.Closed(
                        new CounterKey(familyId, run.eventType, spec, run.lastClosed), run.closedThrough.eventId()));
            }
        }
    }

    @Override
    public void restore(WindowSnapshot snapshot, long w) {
        for (WindowSnapshot.CountEvent event : snapshot.countEvents()) {
            if (event.spec().equals(spec)) {
                runs.computeIfAbsent(event.eventType(), Run::new).entries
                        .add(new Entry(event.time(), event.eventId(), event.value()));
            }
        }
        for (WindowSnapshot.Closed mark : snapshot.closed()) {
            if (mark.key().spec().equals(spec)) {
                Run run = runs.computeIfAbsent(mark.key().eventType(), Run::new);
                run.lastClosed = mark.key().window();
                run.closedThrough = new Entry(run.lastClosed.end().minusMillis(1), mark.lastEventId(), null);
            }
        }
        for (Run run : runs.values()) {
            run.entries.sort(Entry.ORDER);
            // The rows are a function of the events and the watermark: the same rows the run had emitted.
            for (int j = 0; j * spec.slide() + spec.size() <= run.entries.size(); j++) {
                run.rows.add(run.rowOf(j, w));
            }
        }
    }

    /** The count windows of one event type. */
    private final class Run {

        private final String eventType;
        /** SPEC §7 order; entries[0] is the first event of the earliest window not yet closed. */
        private final List<Entry> entries = new ArrayList<>();
        /** rows[j]: the emitted row of window j, the complete windows in order (their ends never decrease). */
        private final List<CounterRow> rows = new ArrayList<>();
        /** The last event of the latest closed window, and that window; kept to recognise late events. */
        private Entry closedThrough;
        private Window lastClosed;

        Run(String eventType) {
            this.eventType = eventType;
        }

        void onEvent(Event event, BigDecimal value, long w, Watermark watermark, ChangeSink out) {
            Entry entry = new Entry(event.eventTimestamp(), event.eventId(), value);
            if (closedThrough != null && Entry.ORDER.compare(entry, closedThrough) < 0) {
                out.late(event, spec, lastClosed, watermark);
                return;
            }
            int at = Collections.binarySearch(entries, entry, Entry.ORDER);
            if (at >= 0) {
                return; // same id and time: a duplicate, which the pipeline drops before counting
            }
            at = -at - 1;
            entries.add(at, entry);
            // Window j holds places j·slide .. j·slide + size − 1; it changes iff it reaches place `at`.
            int firstChanged = Math.max(0, Math.floorDiv(at - spec.size() + spec.slide(), spec.slide()));
            firstChanged = Math.min(firstChanged, rows.size());
            List<CounterRow> tail = rows.subList(firstChanged, rows.size());
            List<CounterRow> before = new ArrayList<>(tail);
            tail.clear();
            for (int j = firstChanged; j * spec.slide() + spec.size() <= entries.size(); j++) {
                rows.add(rowOf(j, w));
            }
            diff(before, rows.subList(firstChanged, rows.size()), out);
        }

        private CounterRow rowOf(int j, long w) {
            int from = j * spec.slide();
            Aggregate aggregate = Aggregate.of(entries.get(from).value());
            for (int i = from + 1; i < from + spec.size(); i++) {
                aggregate = aggregate.plus(entries.get(i).value());
            }
            Instant lastTime = entries.get(from + spec.size() - 1).time();
            Window window = new Window(entries.get(from).time(), lastTime.plusMillis(1));
            return new CounterRow(new CounterKey(familyId, eventType, spec, window), aggregate, w >= end(window));
        }

        private void diff(List<CounterRow> before, List<CounterRow> after, ChangeSink out) {
            Set<CounterRow> unchanged = new HashSet<>(before);
            Set<Instant> starts = new HashSet<>();
            for (CounterRow row : after) {
                starts.add(row.key().window().start());
                if (!unchanged.contains(row)) {
                    out.updated(row);
                }
            }
            for (CounterRow row : before) {
                // A row that now starts elsewhere is gone; one whose start survives is overwritten by the upsert.
                if (!starts.contains(row.key().window().start())) {
                    out.removed(row.key());
                }
            }
        }

        void onWatermark(long w, ChangeSink out) {
            for (int j = 0; j < rows.size() && w >= end(rows.get(j)); j++) {
                if (!rows.get(j).isFinal()) {
                    rows.set(j, rows.get(j).asFinal());
                    out.finalized(rows.get(j));
                }
            }
            while (!rows.isEmpty() && w >= Millis.plus(end(rows.get(0)), latenessMs)) {
                closedThrough = entries.get(spec.size() - 1);
                lastClosed = rows.remove(0).key().window();
                entries.subList(0, spec.slide()).clear(); // window 1 becomes window 0
            }
        }

        long nextDeadline() {
            long next = Millis.NEVER;
            for (CounterRow row : rows) {
                if (!row.isFinal()) {
                    return Math.min(next, end(row));
                }
                next = Math.min(next, Millis.plus(end(row), latenessMs));
            }
            return next;
        }

        boolean isEmpty() {
            return entries.isEmpty() && closedThrough == null;
        }
    }

    private static long end(CounterRow row) {
        return end(row.key().window());
    }

    private static long end(Window window) {
        return window.end().toEpochMilli();
    }

    private record Entry(Instant time, String eventId, BigDecimal value) {
        static final Comparator<Entry> ORDER = Comparator.comparing(Entry::time).thenComparing(Entry::eventId);
    }
}
