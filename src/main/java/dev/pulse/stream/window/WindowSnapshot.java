package dev.pulse.stream.window;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One family's window state, exactly, for the checkpoint (SPEC §4): what {@link WindowCounter#snapshot}
 * returns and {@link WindowCounter#restore} takes. Plain values; a {@link WindowSpec} is stored as its
 * text ({@link WindowSpec#toString()}, read back with {@link WindowSpec#parse}).
 *
 * @param openRows    the rows of tumbling, sliding and session windows not yet forgotten, with their final
 *                    flag (a session row's window is {@code [first, last + gap)}); count rows are not here,
 *                    they are recomputed from {@code countEvents}
 * @param countEvents the events count windows keep, per (spec, event type)
 * @param closed      per session spec and per (count spec, event type): the latest closed window, which
 *                    decides whether a late event would have reached it
 */
public record WindowSnapshot(String familyId, List<CounterRow> openRows, List<CountEvent> countEvents, List<Closed> closed) {

    public WindowSnapshot {
        Objects.requireNonNull(familyId, "familyId");
        openRows = List.copyOf(openRows);
        countEvents = List.copyOf(countEvents);
        closed = List.copyOf(closed);
    }

    public boolean isEmpty() {
        return openRows.isEmpty() && countEvents.isEmpty() && closed.isEmpty();
    }

    /** An event a count window keeps: its time, id (the §7 order) and numeric value (null without one). */
    public record CountEvent(WindowSpec.Count spec, String eventType, Instant time, String eventId, BigDecimal value) {
        public CountEvent {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(eventType, "eventType");
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(eventId, "eventId");
        }
    }

    /**
     * The latest closed window of a session spec (event type {@code *}, {@code lastEventId} null) or of a
     * count run (its last event's id; its time is the window's end − 1 ms).
     */
    public record Closed(CounterKey key, String lastEventId) {
        public Closed {
            Objects.requireNonNull(key, "key");
        }
    }
}
