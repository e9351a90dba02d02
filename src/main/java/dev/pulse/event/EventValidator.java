package dev.pulse.event;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns one decoded JSON record into an {@link Event} or a {@link Rejection} naming the field and
 * the rule (SPEC §1.1, §1.2, §7). Types are strict: no coercion from strings. Unknown top-level
 * fields are ignored; unknown event types are accepted with any schema version. After the field rules, every
 * value of the record (unknown fields included) must keep the limits of {@link RecordScan}: string length,
 * no NUL or unpaired surrogate, bounded numbers.
 * Pure and immutable, safe to share.
 */
public final class EventValidator {

    public static final int MAX_EVENT_ID_LENGTH = 100;
    public static final int MAX_AGGREGATE_ID_LENGTH = 200;
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_.]{0,99}");

    /** Default of {@code pulse.ingest.max-string-length}: free text in {@code event_data} (an e-mail, a note). */
    public static final int DEFAULT_MAX_STRING_LENGTH = 10_000;
    /** Known types accept versions 1 up to the last one an upcaster reads (SPEC §3.6, §7). */
    private static final Upcasters UPCASTERS = new Upcasters(Upcasters.ALL);

    private final RecordScan scan;

    /** With strings of at most {@value #DEFAULT_MAX_STRING_LENGTH} characters. */
    public EventValidator() {
        this(DEFAULT_MAX_STRING_LENGTH);
    }

    /**
     * @param maxStringLength the most characters (code points) any string or property name of a record may have;
     *                        at least {@value #MAX_AGGREGATE_ID_LENGTH}, so that every field rule of SPEC §1.1 stays reachable
     */
    public EventValidator(int maxStringLength) {
        if (maxStringLength < MAX_AGGREGATE_ID_LENGTH) {
            throw new IllegalArgumentException("maxStringLength must be >= " + MAX_AGGREGATE_ID_LENGTH + ", was " + maxStringLength);
        }
        this.scan = new RecordScan(maxStringLength);
    }

    /**
     * @param record a JSON value as plain Java: Map for objects, List for arrays, String, Long/BigInteger
     *               for integers, BigDecimal/Double for other numbers, Boolean, or null
     */
    public Validated validate(Object record) {
        if (!(record instanceof Map<?, ?> raw)) {
            return invalid("record", "must be a JSON object, was " + JsonValues.typeName(record));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) raw;
        try {
            String eventId = requiredString(fields, "event_id", 1, MAX_EVENT_ID_LENGTH);
            String eventType = requiredString(fields, "event_type", 1, 100);
            if (!EVENT_TYPE.matcher(eventType).matches()) {
                throw new Refused("event_type",
                        "must match [A-Za-z][A-Za-z0-9_.]{0,99} (a letter, then letters, digits, '_' or '.')");
            }
            String aggregateId = requiredString(fields, "aggregate_id", 1, MAX_AGGREGATE_ID_LENGTH);
            Instant timestamp = timestamp(requiredString(fields, "event_timestamp", 1, 100));
            int version = schemaVersion(fields.get("schema_version"));
            Map<String, Object> data = eventData(fields.get("event_data"));
            Optional<EventType> known = EventType.fromWireName(eventType);
            if (known.isPresent()) {
                checkVersion(known.get(), version);
                data = UPCASTERS.toVersionOne(known.get(), version, data);
                checkData(known.get(), data);
            }
            // Last, so that a field with a rule of its own is refused by that rule (event_id: 1..100 characters).
            scan.check(fields);
            return new Validated.Valid(new Event(eventId, eventType, aggregateId, timestamp, version, data));
        } catch (Refused refused) {
            return new Validated.Invalid(refused.rejection);
        }
    }

    private static String requiredString(Map<String, Object> fields, String name, int min, int max) {
        if (!fields.containsKey(name) || fields.get(name) == null) {
            throw new Refused(name, "is required");
        }
        Object value = fields.get(name);
        if (!(value instanceof String s)) {
            throw new Refused(name, "must be a string, was " + JsonValues.typeName(value));
        }
        int length = s.codePointCount(0, s.length());
        if (length < min || length > max) {
            throw new Refused(name, "must be " + min + ".." + max + " characters, was " + length);
        }
        return s;
    }

    private static Instant timestamp(String text) {
        Instant instant = IsoInstant.parseMillis(text);
        if (instant == null) {
            instant = parsedInFull(text);
        }
        // Years outside 0001..9999 overflow epoch milliseconds or PostgreSQL's timestamptz; no family event is there.
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new Refused("event_timestamp", "must be between " + EARLIEST + " and " + LATEST + ", was '" + abbreviate(text) + "'");
        }
        return instant;
    }

    /** Any form {@code ISO_ZONED_DATE_TIME} reads, truncated to milliseconds; refused with the expected form otherwise. */
    private static Instant parsedInFull(String text) {
        try {
            // ISO_ZONED_DATE_TIME demands an offset ('Z' or ±hh:mm) and allows a [zone] suffix.
            return ZonedDateTime.parse(text, DateTimeFormatter.ISO_ZONED_DATE_TIME).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw new Refused("event_timestamp",
                    "must be an ISO-8601 instant with zone or offset, e.g. 2026-11-23T09:10:00.000Z, was '"
                            + abbreviate(text) + "'");
        }
    }

    private static int schemaVersion(Object value) {
        if (value == null) {
            return 1;
        }
        if (!JsonValues.isInteger(value)) {
            throw new Refused("schema_version", "must be an integer >= 1, was " + JsonValues.typeName(value));
        }
        long version = ((Number) value).longValue();
        if (version < 1 || version > Integer.MAX_VALUE || !JsonValues.decimal(value).equals(java.math.BigDecimal.valueOf(version))) {
            throw new Refused("schema_version", "must be an integer >= 1, was " + value);
        }
        return (int) version;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> eventData(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new Refused("event_data", "must be a JSON object, was " + JsonValues.typeName(value));
        }
        return (Map<String, Object>) map;
    }

    private static void checkVersion(EventType type, int version) {
        int max = UPCASTERS.maxVersion(type);
        if (version > max) {
            throw new Refused("schema_version",
                    "version " + version + " of " + type.wireName() + " is not supported (supported: 1.." + max + ")");
        }
    }

    private static void checkData(EventType type, Map<String, Object> data) {
        switch (type) {
            case ENGAGEMENT_SCORE_UPDATED -> {
                score(data, "new_score", true);
                score(data, "old_score", false);
            }
            case PAYMENT_RECEIVED -> {
                Object amount = data.get("amount");
                if (amount == null) {
                    throw new Refused("event_data.amount", "is required for PaymentReceived");
                }
                if (!JsonValues.isNumber(amount)) {
                    throw new Refused("event_data.amount", "must be a number, was " + JsonValues.typeName(amount));
                }
                if (JsonValues.decimal(amount).signum() <= 0) {
                    throw new Refused("event_data.amount", "must be > 0, was " + amount);
                }
                optionalString(data, "currency");
            }
            case EMAIL_BOUNCED, EMAIL_DELIVERED, EMAIL_OPENED -> optionalString(data, "email");
            default -> {
                // PaymentOverdue, ReminderSent, UserLogin, UserLogout carry no required data.
            }
        }
    }

    static void score(Map<String, Object> data, String name, boolean required) {
        Object value = data.get(name);
        String field = "event_data." + name;
        if (value == null) {
            if (required) {
                throw new Refused(field, "is required for EngagementScoreUpdated");
            }
            return;
        }
        if (!JsonValues.isInteger(value)) {
            throw new Refused(field, "must be an integer 0..100, was " + JsonValues.typeName(value));
        }
        java.math.BigDecimal score = JsonValues.decimal(value);
        if (score.signum() < 0 || score.compareTo(java.math.BigDecimal.valueOf(100)) > 0) {
            throw new Refused(field, "must be an integer 0..100, was " + value);
        }
    }

    private static void optionalString(Map<String, Object> data, String name) {
        Object value = data.get(name);
        if (value != null && !(value instanceof String)) {
            throw new Refused("event_data." + name, "must be a string, was " + JsonValues.typeName(value));
        }
    }

    private static String abbreviate(String text) {
        return JsonValues.excerpt(text);
    }

    private static Validated invalid(String field, String rule) {
        return new Validated.Invalid(new Rejection(field, rule));
    }

    /** Control flow inside {@link #validate} (and the upcasters it calls): never escapes it. */
    static final class Refused extends RuntimeException {
        private final Rejection rejection;

        Refused(String field, String rule) {
            super(field + ": " + rule, null, false, false);
            this.rejection = new Rejection(field, rule);
        }
    }
}
