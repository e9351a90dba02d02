package dev.pulse.stream.window;

import dev.pulse.event.Event;
import dev.pulse.stream.time.Watermark;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * Tumbling or sliding counters of one family, per event type (SPEC §3.2, §7). A window is judged on its
 * own: an event is late for it when W ≥ end + allowed lateness, and counts in every other window that
 * holds its time. Aggregates are commutative folds, so any arrival order gives the same rows.
 * <p>
 * Rows are {@link Slot}s updated in place, in a small sorted array: a family has a handful open, and an
 * event's window is nearly always among the latest, so a scan from the end beats a tree.
 */
final class AlignedWindowCounter implements FamilyCounter {

    private static final Slot[] NONE = {};

    /**
     * What every family's counter of one spec shares, made once per partition: held per counter, these figures
     * cost as much again as the counter's own state, and most counters are empty.
     */
    static final class Shape implements FamilyCounter.Factory {

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

        @Override
        public FamilyCounter newCounter(String familyId) {
            return new AlignedWindowCounter(familyId, this);
        }
    }

    private final String familyId;
    private final Shape shape;
    /**
     * Open windows by start, then event type. All windows of a spec have one size, so this is also their
     * order by end: {@link #onWatermark} walks the head and stops at the first one still open.
     */
    private Slot[] open = NONE;
    private int count;

    AlignedWindowCounter(String familyId, Shape shape) {
        this.familyId = familyId;
        this.shape = shape;
    }

    @Override
    public void onEvent(Event event, BigDecimal value, long w, Watermark watermark, ChangeSink out) {
        long t = event.eventTimestamp().toEpochMilli();
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
            Slot slot = slotFor(start, event.eventType());
            slot.add(value);
            // Within allowed lateness the window is already final: the row is re-emitted as final.
            slot.finalEmitted = w >= end;
            out.updated(slot);
        }
    }

    @Override
    public void onWatermark(long w, ChangeSink out) {
        long sizeMs = shape.sizeMs;
        long latenessMs = shape.latenessMs;
        int forgotten = 0;
        for (int i = 0; i < count; i++) {
            Slot slot = open[i];
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
        if (forgotten == count) {
            open = NONE;   // a quiet family keeps its counter for good: not an array of nulls with it
            count = 0;
        } else if (forgotten > 0) {
            System.arraycopy(open, forgotten, open, 0, count - forgotten);
            Arrays.fill(open, count - forgotten, count, null);
            count -= forgotten;
        }
    }

    @Override
    public long nextDeadline() {
        long sizeMs = shape.sizeMs;
        long latenessMs = shape.latenessMs;
        long next = Millis.NEVER;
        for (int i = 0; i < count; i++) {
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
        return count == 0;
    }

    @Override
    public void snapshot(List<CounterRow> openRows, List<WindowSnapshot.CountEvent> countEvents, List<WindowSnapshot.Closed> closed) {
        for (int i = 0; i < count; i++) {
            openRows.add(open[i].row());
        }
    }

    @Override
    public void restore(WindowSnapshot snapshot, long w) {
        for (CounterRow row : snapshot.openRows()) {
            if (row.key().spec().equals(shape.spec)) {
                slotFor(row.key().window().start().toEpochMilli(), row.key().eventType()).restore(row);
            }
        }
    }

    /** The slot of ({@code start}, {@code eventType}), inserted empty in its place when new. */
    private Slot slotFor(long start, String eventType) {
        int i = count - 1;
        for (; i >= 0; i--) {
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
        if (count == open.length) {
            open = Arrays.copyOf(open, Math.max(4, count * 2));
        }
        System.arraycopy(open, i + 1, open, i + 2, count - i - 1);
        open[i + 1] = slot;
        count++;
        return slot;
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
        CounterRow row() {
            return new CounterRow(key(), events, sum, min, max, finalEmitted);
        }
    }
}
