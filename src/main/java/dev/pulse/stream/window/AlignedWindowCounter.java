package dev.pulse.stream.window;

import dev.pulse.event.Event;
import dev.pulse.stream.time.Watermark;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * Tumbling or sliding counters of one family, per event type (SPEC §3.2, §7), for one or two consecutive aligned
 * specs. A window is judged on its own: an event is late for it when W ≥ end + allowed lateness, and counts in every
 * other window that holds its time. Aggregates are commutative folds, so any arrival order gives the same rows.
 * <p>
 * Rows are {@link Slot}s updated in place, in a small sorted array: a family has a handful open, and an
 * event's window is nearly always among the latest, so a scan from the end beats a tree. Two specs share one
 * counter and one array (the first spec's run, then the second's): with a counter per spec, an event reached its
 * rows through two counters and two arrays, and the minute's counter, emptied as each minute closed, was made
 * again for nearly every event.
 */
final class AlignedWindowCounter implements FamilyCounter {

    private static final Slot[] NONE = {};

    /**
     * What every family's counter of one spec shares, made once per partition: held per counter, these figures
     * cost as much again as the counter's own state, and most counters are empty.
     */
    static final class Shape {

        private final WindowSpec.Aligned spec;
        private final long sizeMs;
        private final long slideMs;
        private final long latenessMs;
        /** The windows the spec's rows share, one for all families of a partition. */
        private final WindowCache windows;

        Shape(WindowSpec.Aligned spec, long latenessMs) {
            this.spec = spec;
            if (spec instanceof WindowSpec.Sliding sliding) {
                this.sizeMs = sliding.size().toMillis();
                this.slideMs = sliding.slide().toMillis();
            } else {
                this.sizeMs = ((WindowSpec.Tumbling) spec).size().toMillis();
                this.slideMs = sizeMs;
            }
            this.latenessMs = latenessMs;
            this.windows = new WindowCache(sizeMs);
        }
    }

    /** The shapes of one or two consecutive aligned specs, counted by one counter per family. */
    static final class Pair implements FamilyCounter.Factory {

        private final Shape first;
        /** Null when the counter counts one spec. */
        private final Shape second;

        Pair(Shape first, Shape second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public FamilyCounter newCounter(String familyId) {
            return new AlignedWindowCounter(familyId, this);
        }
    }

    private final String familyId;
    private final Pair pair;
    /**
     * Open windows: the first spec's, then the second's; within a spec's run by start, then event type. All windows
     * of a spec have one size, so a run is also in order by end: {@link #onWatermark} walks each run's head and stops
     * at the first window still open.
     */
    private Slot[] open = NONE;
    /** The length of the first spec's run. */
    private int firstCount;
    /** The length of the second spec's run; 0 when the counter counts one spec. */
    private int secondCount;

    AlignedWindowCounter(String familyId, Pair pair) {
        this.familyId = familyId;
        this.pair = pair;
    }

    @Override
    public void onEvent(Event event, BigDecimal value, long w, Watermark watermark, ChangeSink out) {
        long t = event.eventTimestamp().toEpochMilli();
        count(pair.first, 0, event, t, value, w, watermark, out);
        if (pair.second != null) {
            count(pair.second, 1, event, t, value, w, watermark, out);
        }
    }

    private void count(Shape shape, int run, Event event, long t, BigDecimal value, long w, Watermark watermark,
                       ChangeSink out) {
        long sizeMs = shape.sizeMs;
        long slideMs = shape.slideMs;
        long latenessMs = shape.latenessMs;
        // [k·P, k·P + S) holds t  ⇔  (t − S)/P < k ≤ t/P; oldest first, as WindowSpec.Aligned#windowsFor lists them
        long lastK = Math.floorDiv(t, slideMs);
        for (long k = Math.floorDiv(t - sizeMs, slideMs) + 1; k <= lastK; k++) {
            long start = k * slideMs;
            long end = start + sizeMs;
            if (w >= Millis.plus(end, latenessMs)) {
                out.late(event, shape.spec, Window.ofMillis(start, end), watermark);
                continue;
            }
            Slot slot = slotFor(shape, run, start, event.eventType());
            slot.add(value);
            // Within allowed lateness the window is already final: the row is re-emitted as final.
            slot.finalEmitted = w >= end;
            out.updated(slot);
        }
    }

    @Override
    public void onWatermark(long w, ChangeSink out) {
        int firstForgotten = onWatermark(pair.first, 0, firstCount, w, out);
        int secondForgotten = pair.second == null ? 0 : onWatermark(pair.second, firstCount, secondCount, w, out);
        if (firstForgotten == 0 && secondForgotten == 0) {
            return;
        }
        int count = firstCount + secondCount;
        int kept = count - firstForgotten - secondForgotten;
        if (kept == 0) {
            open = NONE;   // a quiet family keeps its counter for good: not an array of nulls with it
        } else {
            // The forgotten windows are a prefix of each run: the first run's rest moves to the front, then the second's.
            System.arraycopy(open, firstForgotten, open, 0, firstCount - firstForgotten);
            System.arraycopy(open, firstCount + secondForgotten, open, firstCount - firstForgotten,
                    secondCount - secondForgotten);
            Arrays.fill(open, kept, count, null);
        }
        firstCount -= firstForgotten;
        secondCount -= secondForgotten;
    }

    /** Finalises the run's windows that W closed; answers how many of them (a prefix) W also forgot. */
    private int onWatermark(Shape shape, int from, int length, long w, ChangeSink out) {
        long sizeMs = shape.sizeMs;
        long latenessMs = shape.latenessMs;
        int forgotten = 0;
        for (int i = 0; i < length; i++) {
            Slot slot = open[from + i];
            long end = slot.start + sizeMs;
            if (w < end) {
                break; // ordered by end: every later window is open too
            }
            if (!slot.finalEmitted) {
                slot.finalEmitted = true;
                out.finalized(slot);
            }
            if (w >= Millis.plus(end, latenessMs)) {
                forgotten = i + 1; // one lateness for all: the forgotten ones are a prefix
            }
        }
        return forgotten;
    }

    @Override
    public long nextDeadline() {
        long next = nextDeadline(pair.first, 0, firstCount);
        return pair.second == null ? next : Math.min(next, nextDeadline(pair.second, firstCount, secondCount));
    }

    private long nextDeadline(Shape shape, int from, int length) {
        long sizeMs = shape.sizeMs;
        long latenessMs = shape.latenessMs;
        long next = Millis.NEVER;
        for (int i = from; i < from + length; i++) {
            long end = open[i].start + sizeMs;
            if (!open[i].finalEmitted) {
                return Math.min(next, end); // later slots end no earlier
            }
            next = Math.min(next, Millis.plus(end, latenessMs));
        }
        return next;
    }

    @Override
    public boolean isEmpty() {
        return firstCount + secondCount == 0;
    }

    @Override
    public void snapshot(List<CounterRow> openRows, List<WindowSnapshot.CountEvent> countEvents, List<WindowSnapshot.Closed> closed) {
        for (int i = 0; i < firstCount + secondCount; i++) {
            openRows.add(open[i].row());
        }
    }

    @Override
    public void restore(WindowSnapshot snapshot, long w) {
        for (CounterRow row : snapshot.openRows()) {
            WindowSpec spec = row.key().spec();
            long start = row.key().window().start().toEpochMilli();
            if (spec.equals(pair.first.spec)) {
                slotFor(pair.first, 0, start, row.key().eventType()).restore(row);
            } else if (pair.second != null && spec.equals(pair.second.spec)) {
                slotFor(pair.second, 1, start, row.key().eventType()).restore(row);
            }
        }
    }

    /** The slot of ({@code start}, {@code eventType}) in the run of {@code shape}, inserted empty in its place when new. */
    private Slot slotFor(Shape shape, int run, long start, String eventType) {
        int from = run == 0 ? 0 : firstCount;
        int to = run == 0 ? firstCount : firstCount + secondCount;
        int i = to - 1;
        for (; i >= from; i--) {
            Slot slot = open[i];
            if (slot.start < start) {
                break;
            }
            if (slot.start == start) {
                if (slot.eventType == eventType) {
                    return slot; // known types are one shared string each (Event#eventType): no comparison needed
                }
                int c = slot.eventType.compareTo(eventType);
                if (c == 0) {
                    return slot;
                }
                if (c < 0) {
                    break;
                }
            }
        }
        Slot slot = new Slot(familyId, shape, start, eventType);
        int count = firstCount + secondCount;
        if (count == open.length) {
            open = Arrays.copyOf(open, Math.max(4, count * 2));
        }
        System.arraycopy(open, i + 1, open, i + 2, count - i - 1);
        open[i + 1] = slot;
        if (run == 0) {
            firstCount++;
        } else {
            secondCount++;
        }
        return slot;
    }

    /** Reads the open windows, as an event's count will ({@link WindowCounter#prefetch}); answers their counts' sum. */
    long prefetch() {
        long sink = 0;
        Slot[] slots = open;
        for (int i = 0, n = firstCount + secondCount; i < n; i++) {
            sink += slots[i].events;
        }
        return sink;
    }

    /**
     * One row: a window and event type, and the aggregates of its events so far. Static, holding its family id and
     * shape itself: taking the batch makes its key, and reaching them through the counter would be a cache miss more
     * per row (the two references take the place of the counter's in the object's 64 bytes).
     */
    private static final class Slot extends LiveRow {

        private final String familyId;
        private final Shape shape;
        final long start;
        final String eventType;
        long events;
        BigDecimal sum;
        BigDecimal min;
        BigDecimal max;
        boolean finalEmitted;
        private CounterKey key;

        Slot(String familyId, Shape shape, long start, String eventType) {
            this.familyId = familyId;
            this.shape = shape;
            this.start = start;
            this.eventType = eventType;
        }

        /** {@link Aggregate#plus(BigDecimal)}, in place. */
        void add(BigDecimal value) {
            if (events == 0) {
                events = 1;
                sum = value;
                min = value;
                max = value;
                return;
            }
            if ((sum == null) != (value == null)) {
                aggregate().plus(value); // throws: an event type either always has a value or never
            }
            events = Math.addExact(events, 1);
            if (value != null) {
                sum = sum.add(value);
                min = Aggregate.lower(min, value);
                max = Aggregate.higher(max, value);
            }
        }

        void restore(CounterRow row) {
            events = row.eventCount();
            sum = row.sum();
            min = row.min();
            max = row.max();
            finalEmitted = row.isFinal();
            key = row.key();
        }

        Aggregate aggregate() {
            return new Aggregate(events, sum, min, max);
        }

        @Override
        CounterKey key() {
            if (key == null) {
                key = new CounterKey(familyId, eventType, shape.spec, shape.windows.of(start));
            }
            return key;
        }

        @Override
        String familyId() {
            return familyId;
        }

        @Override
        CounterRow row(long w) {
            return new CounterRow(key(), events, sum, min, max, finalEmitted || w >= start + shape.sizeMs);
        }
    }
}
