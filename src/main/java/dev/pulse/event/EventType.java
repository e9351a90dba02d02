package dev.pulse.event;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The event types Pulse knows (SPEC §1.2). Any other type is accepted and counted. */
public enum EventType {
    ENGAGEMENT_SCORE_UPDATED("EngagementScoreUpdated"),
    PAYMENT_RECEIVED("PaymentReceived"),
    PAYMENT_OVERDUE("PaymentOverdue"),
    REMINDER_SENT("ReminderSent"),
    USER_LOGIN("UserLogin"),
    USER_LOGOUT("UserLogout"),
    EMAIL_BOUNCED("EmailBounced"),
    EMAIL_DELIVERED("EmailDelivered"),
    EMAIL_OPENED("EmailOpened");

    private static final Map<String, EventType> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> fromWireName(String name) {
        return Optional.ofNullable(BY_WIRE_NAME.get(name));
    }
}
