package dev.pulse.stream.window;

import dev.pulse.event.Event;
import dev.pulse.stream.time.Watermark;
import java.util.Objects;

/**
 * What {@link WindowCounter} tells the projection, as values (CONVENTIONS §2.6: late events are not
 * exceptions). Within the list of one call, a {@link Removed} key never addresses the same stored row
 * ({@link CounterKey#sameRowAs}) as an {@link Updated} row. Across calls it can (a row upserted by one
 * event and superseded by the next), so a micro-batch's outcomes are either applied in order or folded
 * with {@link CounterChanges#of} into disjoint upserts and deletes ({@link WindowCounter#takeChanges}
 * gives that fold directly).
 */
public sealed interface Outcome {

    /** Upsert this row (new, changed, or now final). */
    record Updated(CounterRow row) implements Outcome {
        public Updated {
            Objects.requireNonNull(row, "row");
        }
    }

    /**
     * Delete this row: its window no longer exists. Sessions: merged into an earlier-starting session by
     * an event that closed the gap. Count windows: shifted by an out-of-order event, so the window now
     * starts elsewhere.
     */
    record Removed(CounterKey key) implements Outcome {
        public Removed {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * {@code event} arrived for {@code window} after it closed (watermark ≥ end + allowed lateness) and
     * did not change it (SPEC §2). One per window missed; the event still counts in windows it did not
     * miss (SPEC §7). The pipeline counts the event once in {@code late_events} and writes one
     * {@code late_events} row per Late.
     */
    record Late(Event event, WindowSpec spec, Window window, Watermark watermark) implements Outcome {
        public Late {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(watermark, "watermark");
        }
    }
}
