package dev.pulse.load;

import dev.pulse.ingest.simulator.SimulatedFamilies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The events a load run sends: the simulator's model (SPEC §1.3) over the run's families, and what they
 * should do to the projections. A producer retry (the previous event again) is sent but not expected to
 * count, because Pulse drops it as a duplicate.
 */
final class LoadStream {

    private final SimulatedFamilies model;
    private final LoadOptions options;
    private final Map<String, Long> expectedPerFamily = new HashMap<>();
    private final Map<String, Long> sentPerType = new TreeMap<>();
    private Map<String, Object> previous;
    private long sent;
    private long retries;

    LoadStream(LoadOptions options) {
        this.options = options;
        this.model = new SimulatedFamilies(options.families(), options.seed(), options.v2Share(), options.familyPrefix());
    }

    /** The next {@code n} events, stamped {@code wallClock} unless the run replays a fixed time range. */
    List<Map<String, Object>> next(int n, Instant wallClock) {
        List<Map<String, Object>> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Instant at = options.from() == null ? wallClock : options.from().plus(options.step().multipliedBy(sent));
            Map<String, Object> event = model.next(at, options.runId());
            if (event == previous) {
                retries++;
            } else {
                expectedPerFamily.merge((String) event.get("aggregate_id"), 1L, Long::sum);
            }
            sentPerType.merge((String) event.get("event_type"), 1L, Long::sum);
            previous = event;
            sent++;
            events.add(event);
        }
        return events;
    }

    long sent() {
        return sent;
    }

    long retries() {
        return retries;
    }

    long distinct() {
        return sent - retries;
    }

    /** Distinct events per family: what each family's {@code events_processed} must grow by. */
    Map<String, Long> expectedPerFamily() {
        return Map.copyOf(expectedPerFamily);
    }

    Map<String, Long> sentPerType() {
        return Map.copyOf(sentPerType);
    }
}
