package dev.pulse.projection;

import dev.pulse.rules.MatchedEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The jsonb columns of {@code realtime_pattern_detections}: matched events and details, snake_case. */
final class DetectionJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private DetectionJson() {
    }

    static String matched(List<MatchedEvent> events) {
        return MAPPER.writeValueAsString(events.stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event_id", e.eventId());
            m.put("event_type", e.eventType());
            m.put("event_timestamp", e.eventTimestamp().toString());
            m.put("value", e.value());
            return m;
        }).toList());
    }

    static String details(Map<String, Object> details) {
        return MAPPER.writeValueAsString(details);
    }

    static Object read(String json) {
        return json == null ? null : MAPPER.readValue(json, Object.class);
    }
}
