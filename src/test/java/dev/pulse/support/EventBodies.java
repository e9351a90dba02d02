package dev.pulse.support;

/** JSON bodies of events for integration tests, with the fields that matter as arguments. */
public final class EventBodies {

    private EventBodies() {
    }

    public static String score(String eventId, String family, String timestamp, int score) {
        return event(eventId, "EngagementScoreUpdated", family, timestamp, "{\"new_score\": " + score + "}");
    }

    public static String login(String eventId, String family, String timestamp) {
        return event(eventId, "UserLogin", family, timestamp, "{}");
    }

    public static String payment(String eventId, String family, String timestamp, String amount) {
        return event(eventId, "PaymentReceived", family, timestamp, "{\"amount\": " + amount + ", \"currency\": \"EUR\"}");
    }

    public static String event(String eventId, String type, String family, String timestamp, String data) {
        return """
                {"event_id": "%s", "event_type": "%s", "aggregate_id": "%s", "event_timestamp": "%s", "schema_version": 1, "event_data": %s}"""
                .formatted(eventId, type, family, timestamp, data);
    }
}
