package dev.pulse.stream.window;

import dev.pulse.event.Event;
import dev.pulse.stream.time.Watermark;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Tumbling or sliding counters of one family, per event type (SPEC §3.2, §7). A window is judged on its
 * own: an event is late for it when W ≥ end + allowed lateness, and counts in every other window that
 * holds its time. Aggregates are commutative folds, so any arrival order gives the same rows.
 */
final class AlignedWindowCounter implements FamilyCounter {

    private final String familyId;
    private final WindowSpec.Aligned spec;
    private final Duration allowedLateness;
    /** Open windows by end: {@link #onWatermark} walks the head and stops at the first one still open. */
    private final NavigableMap<Slot, Open> open = new TreeMap<>(Slot.ORDER);

    AlignedWindowCounter(String familyId, WindowSpec.Aligned spec, Duration allowedLateness) {
        this.familyId = familyId;
        this.spec = spec;
        this.allowedLateness = allowedLateness;
    }

    @Override
    public void onEvent(Event event, Watermark watermark, List<Outcome> out) {
        BigDecimal value = Aggregate.valueOf(event);
        for (Window window : spec.windowsFor(event.eventTimestamp())) {
            if (watermark.hasReached(window.end().plus(allowedLateness))) {
                out.add(new Outcome.Late(event, spec, window, watermark));
                continue;
            }
            Slot slot = new Slot(window, event.eventType());
            Open before = open.get(slot);
            Aggregate aggregate = before == null ? Aggregate.of(value) : before.aggregate().plus(value);
            // Within allowed lateness the window is already final: the row is re-emitted as final.
            boolean isFinal = watermark.hasReached(window.end());
            open.put(slot, new Open(aggregate, isFinal));
            out.add(new Outcome.Updated(row(slot, aggregate, isFinal)));
        }
    }

    @Override
    public void onWatermark(Watermark watermark, List<Outcome> out) {
        Iterator<Map.Entry<Slot, Open>> entries = open.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<Slot, Open> entry = entries.next();
            Window window = entry.getKey().window();
            if (!watermark.hasReached(window.end())) {
                return; // ordered by end: every later window is open too
            }
            Open state = entry.getValue();
            if (!state.finalEmitted()) {
                out.add(new Outcome.Updated(row(entry.getKey(), state.aggregate(), true)));
                entry.setValue(new Open(state.aggregate(), true));
            }
            if (watermark.hasReached(window.end().plus(allowedLateness))) {
                entries.remove();
            }
        }
    }

    @Override
    public Instant nextDeadline() {
        Instant next = null;
        for (Map.Entry<Slot, Open> entry : open.entrySet()) {
            Instant end = entry.getKey().window().end();
            if (!entry.getValue().finalEmitted()) {
                return FamilyCounter.earliest(next, end); // later entries end no earlier
            }
            next = FamilyCounter.earliest(next, end.plus(allowedLateness));
        }
        return next;
    }

    @Override
    public boolean isEmpty() {
        return open.isEmpty();
    }

    @Override
    public void snapshot(List<CounterRow> openRows, List<WindowSnapshot.CountEvent> countEvents, List<WindowSnapshot.Closed> closed) {
        open.forEach((slot, state) -> openRows.add(row(slot, state.aggregate(), state.finalEmitted())));
    }

    @Override
    public void restore(WindowSnapshot snapshot, Watermark watermark) {
        for (CounterRow row : snapshot.openRows()) {
            if (row.key().spec().equals(spec)) {
                open.put(new Slot(row.key().window(), row.key().eventType()), new Open(row.aggregate(), row.isFinal()));
            }
        }
    }

    private CounterRow row(Slot slot, Aggregate aggregate, boolean isFinal) {
        return new CounterRow(new CounterKey(familyId, slot.eventType(), spec, slot.window()), aggregate, isFinal);
    }

    private record Slot(Window window, String eventType) {
        static final Comparator<Slot> ORDER =
                Comparator.comparing(Slot::window, Window.BY_END_THEN_START).thenComparing(Slot::eventType);
    }

    private record Open(Aggregate aggregate, boolean finalEmitted) {
    }
}
