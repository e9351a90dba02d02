package dev.pulse.projection;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Orders of {@code GET /api/families?sort=}: a name, optionally prefixed by {@code -} for descending.
 * {@code severity} (the default) is most severe first, then lowest score. Every order ends with the
 * family id so pages never overlap.
 */
public enum FamilySort {
    SEVERITY("severity", "alert_rank desc, current_engagement_score asc nulls last, family_id",
            "alert_rank asc, current_engagement_score desc nulls first, family_id"),
    SCORE("score", "current_engagement_score asc nulls last, family_id",
            "current_engagement_score desc nulls last, family_id"),
    FAMILY_ID("family_id", "family_id asc", "family_id desc"),
    LAST_EVENT("last_event_timestamp", "last_event_timestamp asc nulls last, family_id",
            "last_event_timestamp desc nulls last, family_id"),
    EVENTS_PROCESSED("events_processed", "events_processed asc, family_id", "events_processed desc, family_id"),
    EVENTS_LAST_7_DAYS("events_last_7_days", "events_last_7_days asc, family_id", "events_last_7_days desc, family_id");

    private final String wireName;
    private final String ascending;
    private final String descending;

    FamilySort(String wireName, String ascending, String descending) {
        this.wireName = wireName;
        this.ascending = ascending;
        this.descending = descending;
    }

    public String wireName() {
        return wireName;
    }

    /** A parsed {@code sort} parameter: the order and its direction. */
    public record Order(FamilySort sort, boolean descending) {
        public static final Order DEFAULT = new Order(SEVERITY, false);

        String sql() {
            return descending ? sort.descending : sort.ascending;
        }
    }

    public static Optional<Order> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of(Order.DEFAULT);
        }
        boolean desc = text.startsWith("-");
        String name = desc ? text.substring(1) : text;
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst().map(s -> new Order(s, desc));
    }

    public static String names() {
        return Arrays.stream(values()).map(FamilySort::wireName).collect(Collectors.joining(", "));
    }
}
