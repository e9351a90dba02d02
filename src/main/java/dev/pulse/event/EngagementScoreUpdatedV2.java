package dev.pulse.event;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code EngagementScoreUpdated} v2 carries {@code score} instead of {@code new_score}. */
final class EngagementScoreUpdatedV2 implements Upcaster {

    @Override
    public EventType type() {
        return EventType.ENGAGEMENT_SCORE_UPDATED;
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public Map<String, Object> toPrevious(Map<String, Object> data) {
        EventValidator.score(data, "score", true);
        Map<String, Object> previous = new LinkedHashMap<>(data);
        previous.remove("new_score");
        previous.put("new_score", previous.remove("score"));
        return previous;
    }
}
