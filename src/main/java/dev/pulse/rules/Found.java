package dev.pulse.rules;

import dev.pulse.event.Event;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What a rule found for one anchor: the matched events (SPEC §7 order), the detection time and the details. */
record Found(List<Event> matched, Instant detectedAt, Map<String, Object> details) {
}
