package dev.pulse.event;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Fixture builder for events with defaults, so a test states only what matters:
 * {@code Events.score("family-1").at("09:10:00Z").score(40).id("e1").build()}.
 * <p>
 * Defaults: time {@code 2026-11-23T09:10:00Z}, schema version 1, score 50, amount 450.00 EUR. The default
 * id is derived from the record's content (a name-based UUID), so it is deterministic and two builders
 * that differ in any field get different ids. A builder is a fresh, unshared object per call.
 */
public final class Events {

    /** The day that {@link Builder#at(String)} assumes when only a time of day is given. */
    public static final String DEFAULT_DAY = "2026-11-23";
    public static final String DEFAULT_TIMESTAMP = DEFAULT_DAY + "T09:10:00Z";

    private static final EventValidator VALIDATOR = new EventValidator();

    private Events() {
    }

    public static Builder score(String family) {
        return of("EngagementScoreUpdated", family).score(50);
    }

    public static Builder payment(String family) {
        return of("PaymentReceived", family).amount("450.00").data("currency", "EUR");
    }

    public static Builder login(String family) {
        return of("UserLogin", family);
    }

    public static Builder of(String type, String family) {
        return new Builder(type, family);
    }

    /** Validates a raw record that must be valid, failing the test with the rejection otherwise. */
    public static Event valid(Map<String, Object> raw) {
        Validated validated = VALIDATOR.validate(raw);
        if (validated instanceof Validated.Invalid invalid) {
            throw new AssertionError("fixture is not a valid event: " + invalid.rejection().message() + " in " + raw);
        }
        return ((Validated.Valid) validated).event();
    }

    public static final class Builder {

        private final Map<String, Object> fields = new LinkedHashMap<>();
        private final Map<String, Object> data = new LinkedHashMap<>();
        private boolean explicitId;
        private boolean dataOmitted;

        private Builder(String type, String family) {
            fields.put("event_id", null); // keeps the wire order; filled in by raw()
            fields.put("event_type", type);
            fields.put("aggregate_id", family);
            fields.put("event_timestamp", DEFAULT_TIMESTAMP);
            fields.put("schema_version", 1);
        }

        public Builder id(String eventId) {
            fields.put("event_id", eventId);
            explicitId = true;
            return this;
        }

        /** A full ISO instant ({@code 2026-11-23T09:10:00Z}) or a time of day on {@link #DEFAULT_DAY} ({@code 09:10:00Z}). */
        public Builder at(String timestamp) {
            fields.put("event_timestamp", timestamp.contains("T") ? timestamp : DEFAULT_DAY + "T" + timestamp);
            return this;
        }

        public Builder at(Instant timestamp) {
            return at(timestamp.toString());
        }

        public Builder score(int newScore) {
            return data("new_score", newScore);
        }

        public Builder amount(String decimal) {
            return data("amount", new BigDecimal(decimal));
        }

        public Builder version(Object schemaVersion) {
            return field("schema_version", schemaVersion);
        }

        public Builder data(String name, Object value) {
            data.put(name, value);
            return this;
        }

        public Builder withoutData(String name) {
            data.remove(name);
            return this;
        }

        /** Sets any top-level field, including unknown ones and wrongly typed values. */
        public Builder field(String name, Object value) {
            fields.put(name, value);
            explicitId |= name.equals("event_id");
            return this;
        }

        /** Removes a top-level field (the key disappears, unlike {@code field(name, null)}). */
        public Builder without(String name) {
            fields.remove(name);
            explicitId |= name.equals("event_id");
            dataOmitted |= name.equals("event_data");
            return this;
        }

        /** The record as plain JSON values (a fresh mutable map on each call). */
        public Map<String, Object> raw() {
            Map<String, Object> record = new LinkedHashMap<>(fields);
            if (!explicitId) {
                record.put("event_id", derivedId());
            }
            if (!record.containsKey("event_data") && !dataOmitted) {
                record.put("event_data", new LinkedHashMap<>(data));
            }
            return record;
        }

        /** The record validated into an event; fails the test when the fixture is not valid. */
        public Event build() {
            return valid(raw());
        }

        private String derivedId() {
            Map<String, Object> content = new LinkedHashMap<>(fields);
            content.remove("event_id");
            content.put("event_data", data);
            return "ev-" + UUID.nameUUIDFromBytes(content.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
