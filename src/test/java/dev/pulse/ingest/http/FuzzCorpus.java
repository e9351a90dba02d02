package dev.pulse.ingest.http;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Seeded bodies for {@code POST /api/events}, each with the answer it must get (issue 8's fuzz test): valid events
 * mixed with every kind of bad input, as single objects, arrays, concatenated objects and NDJSON, plus bodies that
 * must be refused whole (malformed JSON, invalid UTF-8, parser limits, nothing in them, over the size or count limit).
 * The expectation is written down by the generator as it builds each record, never derived from Pulse's own code.
 * The JSON text is written here too (not by Jackson), so that strings come escaped ({@code \u00e9},
 * {@code \ud83d\ude00}, {@code \u0000}) as well as raw.
 */
final class FuzzCorpus {

    static final int MAX_STRING_LENGTH = 10_000;
    static final int MAX_EVENTS_PER_REQUEST = 100_000;
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    static final String NDJSON = "application/x-ndjson";
    private static final Instant BASE = Instant.parse("2025-03-01T00:00:00Z");
    /** Replaced by invalid UTF-8 bytes after encoding. */
    private static final String BAD_BYTES = "\u00a7BAD\u00a7";

    /** One valid event the server must count once (a duplicate repeats an earlier one's id and family). */
    record Sent(String eventId, String family) {
    }

    /** What the server must answer. */
    sealed interface Expected {
    }

    /**
     * The body holds these records in order: each is valid (its event in {@code sent}) or refused with an error
     * starting with {@code field + ":"}. With at least one valid: 202; with none: 400 {@code no valid events}.
     */
    record PerRecord(List<String> refusedField, List<Sent> sent) implements Expected {
        long validCount() {
            return refusedField.stream().filter(f -> f == null).count();
        }
    }

    /** The whole body is refused: this status and {@code error}. */
    record WholeBody(int status, String error) implements Expected {
    }

    record Case(int number, String kind, String contentType, Supplier<byte[]> body, Expected expected) {
    }

    private final Random random;
    private final String run;
    private final List<String> families = new ArrayList<>();
    private final List<Sent> validSoFar = new ArrayList<>();
    private int nextId;

    FuzzCorpus(long seed, String run) {
        this.random = new Random(seed);
        this.run = run;
        for (int i = 0; i < 24; i++) {
            families.add("fz-" + run + "-" + i);
        }
        // Hostile but valid family ids (1..200 characters): they must come back exactly as sent.
        families.add("<script>alert(1)</script>" + run);
        families.add("fam \"quote\" \\back\\slash " + run);
        families.add("Zoë 😀 日本 " + run);
        families.add("a/b?c=d#e%2F " + run);
        families.add("  spaced\ttab  " + run);
        families.add("\u202Eright-to-left " + run);
        families.add("👨‍👩‍👧 family " + run);
        families.add("x".repeat(200 - run.length() - 1) + "-" + run);
    }

    List<String> families() {
        return List.copyOf(families);
    }

    /** The number of big bodies {@link #cases} adds to the generated ones. */
    static final int BIG_BODIES = 5;

    /**
     * {@code count} generated bodies, then {@value #BIG_BODIES} big ones (over the byte and record limits, exactly at
     * the record limit, a 2,000-line NDJSON). Built one at a time as they are taken, so that the corpus is never held
     * whole; one thread at a time may take them (the generator is one seeded sequence).
     */
    java.util.Iterator<Case> cases(int count) {
        return new java.util.Iterator<>() {
            private int n;

            @Override
            public boolean hasNext() {
                return n < count + BIG_BODIES;
            }

            @Override
            public Case next() {
                int number = n++;
                return switch (number - count) {
                    case 0 -> oversize(number, false);
                    case 1 -> oversize(number, true);
                    case 2 -> tooManyRecords(number);
                    case 3 -> atRecordLimit(number);
                    case 4 -> largeNdjson(number);
                    default -> FuzzCorpus.this.next(number);
                };
            }
        };
    }

    private Case next(int number) {
        int roll = random.nextInt(100);
        if (roll < 15) {
            Rec r = validRecord();
            return perRecord(number, "single valid object", null, List.of(r), false);
        }
        if (roll < 22) {
            Rec r = invalidRecord();
            while (r.json().startsWith("[")) { // an array on its own is a body of records, not one record
                r = invalidRecord();
            }
            return perRecord(number, "single invalid record", "application/json", List.of(r), false);
        }
        if (roll < 47) {
            return perRecord(number, "array", "application/json", mixed(1 + random.nextInt(12)), true);
        }
        if (roll < 50) {
            return concatenated(number, mixed(2 + random.nextInt(5)));
        }
        if (roll < 70) {
            return ndjson(number, 1 + random.nextInt(12));
        }
        if (roll < 85) {
            return malformed(number);
        }
        if (roll < 95) {
            return overParserLimit(number);
        }
        return empty(number);
    }

    // ---------------------------------------------------------------- records

    /** One record as JSON text, and what the server must make of it. */
    private record Rec(String json, String refusedField, Sent sent) {
        static Rec valid(String json, Sent sent) {
            return new Rec(json, null, sent);
        }

        static Rec refused(String json, String field) {
            return new Rec(json, field, null);
        }
    }

    private List<Rec> mixed(int size) {
        List<Rec> records = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            records.add(random.nextInt(10) < 7 ? validRecord() : invalidRecord());
        }
        return records;
    }

    private Rec validRecord() {
        if (!validSoFar.isEmpty() && random.nextInt(20) == 0) {
            // A producer retry: the same event again. Accepted, and counted once.
            Sent again = validSoFar.get(random.nextInt(validSoFar.size()));
            return Rec.valid(write(event(again.eventId(), again.family(), "UserLogin", Map.of())), again);
        }
        String id = eventId();
        String family = family();
        Map<String, Object> event;
        switch (random.nextInt(9)) {
            case 0 -> event = event(id, family, "EngagementScoreUpdated", data("new_score", random.nextInt(101)));
            case 1 -> event = withVersion(event(id, family, "EngagementScoreUpdated", data("score", random.nextInt(101))), 2);
            case 2 -> event = event(id, family, "PaymentReceived", amount());
            case 3 -> event = withVersion(event(id, family, "PaymentReceived",
                    data("amount_cents", BigInteger.valueOf(1 + random.nextInt(1_000_000)))), 2);
            case 4 -> event = event(id, family, "EmailBounced", data("email", text(1 + random.nextInt(60))));
            case 5 -> event = event(id, family, pick("UserLogin", "UserLogout", "ReminderSent", "PaymentOverdue"), Map.of());
            case 6 -> event = event(id, family, "Custom.Fuzz_" + random.nextInt(5), tree(1 + random.nextInt(12)));
            case 7 -> {
                if (random.nextInt(16) != 0) { // rare: two 10,000-character strings make a 50 KB event
                    event = event(id, family, "UserLogin", Map.of());
                    break;
                }
                // strings at the exact length limit, in characters (emoji are two UTF-16 units each)
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("note", "😀".repeat(MAX_STRING_LENGTH));
                data.put("ascii", "a".repeat(MAX_STRING_LENGTH));
                event = event(id, family, "Custom.Long", data);
            }
            default -> {
                event = event(id, family, "UserLogin", data("device", text(random.nextInt(40))));
                event.put("unknown_top_level", tree(3));
                event.remove("schema_version");
            }
        }
        Sent sent = new Sent(id, family);
        validSoFar.add(sent);
        return Rec.valid(write(event), sent);
    }

    private Rec invalidRecord() {
        String id = eventId();
        String family = family();
        Map<String, Object> e = event(id, family, "UserLogin", Map.of());
        String field;
        int kind = random.nextInt(24);
        if ((kind == 16 || kind == 19 || kind == 23) && random.nextInt(4) != 0) {
            kind = random.nextInt(12); // the big ones (10 KB strings, 70 KB events) a quarter as often: run time
        }
        switch (kind) {
            case 0 -> {
                e.remove("event_id");
                field = "event_id";
            }
            case 1 -> {
                e.put("event_id", random.nextInt(1000));
                field = "event_id";
            }
            case 2 -> {
                e.put("event_id", random.nextBoolean() ? "" : "x".repeat(101));
                field = "event_id";
            }
            case 3 -> {
                e.put("event_type", pick("9bad", "has space", "", "Ünicode", "x".repeat(101)));
                field = "event_type";
            }
            case 4 -> {
                e.put("aggregate_id", pick(null, "", "y".repeat(201), 17));
                field = "aggregate_id";
            }
            case 5 -> {
                e.put("event_timestamp", pick("yesterday", "2025-03-01T00:00:00", "2025-13-01T00:00:00Z", "+10000-01-01T00:00:00Z", 1_700_000_000));
                field = "event_timestamp";
            }
            case 6 -> {
                e.put("schema_version", pick("1", 0, -1, new BigDecimal("1.5"), true));
                field = "schema_version";
            }
            case 7 -> {
                e = withVersion(event(id, family, "PaymentReceived", amount()), 3);
                field = "schema_version";
            }
            case 8 -> {
                e.put("event_data", pick(List.of(1, 2), "data", 5));
                field = "event_data";
            }
            case 9 -> {
                e = event(id, family, "EngagementScoreUpdated", data("new_score", pick(101, -1, "50", new BigDecimal("50.5"), null)));
                field = "event_data.new_score";
            }
            case 10 -> {
                e = event(id, family, "PaymentReceived", data("amount", pick(0, -5, "10", new BigDecimal("-0.01"), null)));
                field = "event_data.amount";
            }
            case 11 -> {
                e = withVersion(event(id, family, "PaymentReceived", data("amount_cents", pick(new BigDecimal("1.5"), 0, "100", null))), 2);
                field = "event_data.amount_cents";
            }
            case 12 -> {
                // PostgreSQL cannot store U+0000: a record with one must be refused, not poison the partition
                e.put("aggregate_id", "nul\u0000" + family.substring(0, Math.min(family.length(), 150)));
                field = "aggregate_id";
            }
            case 13 -> {
                e = event(id, family, "PaymentReceived", amountWith("currency", "EU\u0000R"));
                field = "event_data.currency";
            }
            case 14 -> {
                e = event(id, family, "Custom.Fuzz", data("note", "half a pair \ud83d here"));
                field = "event_data.note";
            }
            case 15 -> {
                e.put("aggregate_id", "\udc00" + family.substring(0, Math.min(family.length(), 150)));
                field = "aggregate_id";
            }
            case 16 -> {
                e = event(id, family, "Custom.Fuzz", data("note", "z".repeat(MAX_STRING_LENGTH + 1 + random.nextInt(2_000))));
                field = "event_data.note";
            }
            case 17 -> {
                e = event(id, family, "Custom.Fuzz", data("n", pick(new BigDecimal("1e400"), new BigDecimal("-1e-400"),
                        new BigInteger("9".repeat(41 + random.nextInt(900))))));
                field = "event_data.n";
            }
            case 18 -> {
                e = event(id, family, "PaymentReceived", data("amount", pick(new BigDecimal("1e999999999"), new BigDecimal("1e200000"))));
                field = "event_data.amount";
            }
            case 19 -> {
                // every string within its limit, the event over 64 KiB as JSON: refused on its own
                Map<String, Object> data = new LinkedHashMap<>();
                for (int i = 0; i < 7 + random.nextInt(3); i++) {
                    data.put("part" + i, "p".repeat(MAX_STRING_LENGTH));
                }
                e = event(id, family, "Custom.Big", data);
                field = "record";
            }
            case 20 -> {
                return Rec.refused(pick("42", "\"x\"", "null", "true", "[]", "[1,{\"a\":2}]", "-0.5"), "record");
            }
            case 21 -> {
                e = event(id, family, "EmailBounced", data("email", pick(5, List.of("a@b"), true)));
                field = "event_data.email";
            }
            case 22 -> {
                // deep, within the parser's limit, with a NUL at the bottom: the path names every level
                Map<String, Object> inner = data("leaf", "bad\u0000");
                StringBuilder path = new StringBuilder("event_data");
                Object value = inner;
                int depth = 1 + random.nextInt(20);
                for (int i = depth - 1; i >= 0; i--) {
                    value = data("k" + i, value);
                }
                for (int i = 0; i < depth; i++) {
                    path.append(".k").append(i);
                }
                e = event(id, family, "Custom.Deep", data("root", value));
                field = path.insert("event_data".length(), ".root").append(".leaf").toString();
            }
            default -> {
                e.put("event_data", data("x".repeat(MAX_STRING_LENGTH + 1), 1));
                field = "event_data." + "x".repeat(40) + "...";
            }
        }
        return Rec.refused(write(e), field);
    }

    // ---------------------------------------------------------------- bodies

    private Case perRecord(int number, String kind, String contentType, List<Rec> records, boolean array) {
        StringBuilder body = new StringBuilder(array ? "[" : "");
        for (int i = 0; i < records.size(); i++) {
            body.append(i > 0 ? "," + whitespace() : "").append(records.get(i).json());
        }
        body.append(array ? "]" : "");
        return new Case(number, kind, contentType, bytesOf(body.toString()), expectation(records));
    }

    private Case concatenated(int number, List<Rec> records) {
        List<Rec> objects = records.stream().filter(r -> r.json().startsWith("{")).toList();
        StringBuilder body = new StringBuilder();
        objects.forEach(r -> body.append(r.json()).append(pick("", " ", "\n", "\r\n")));
        return new Case(number, "concatenated objects", "application/json", bytesOf(body.toString()), expectation(objects));
    }

    private Case ndjson(int number, int lines) {
        List<Rec> records = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        String newline = random.nextBoolean() ? "\n" : "\r\n";
        for (int i = 0; i < lines; i++) {
            if (random.nextInt(8) == 0) {
                body.append(pick("", "  ", "\t")).append(newline); // blank lines do not count as records
            }
            int roll = random.nextInt(10);
            Rec r;
            if (roll < 6) {
                r = validRecord();
            } else if (roll < 8) {
                r = invalidRecord();
            } else {
                r = Rec.refused(pick("{not json", "{\"event_id\": \"x\"", "{} {}", "[".repeat(65 + random.nextInt(500)),
                        "{\"a\": \"" + BAD_BYTES + "\"}", "\"unterminated", "nul", "{\"a\":1,}", "1" .repeat(1001)), "record");
            }
            records.add(r);
            body.append(r.json());
            if (i < lines - 1 || random.nextBoolean()) {
                body.append(newline);
            }
        }
        return new Case(number, "ndjson", NDJSON, bytesOf(body.toString()), expectation(records));
    }

    private Case malformed(int number) {
        List<Rec> records = mixed(1 + random.nextInt(6)); // valid ones among them: none may be counted
        String array = "[" + String.join(",", records.stream().map(Rec::json).toList()) + "]";
        String body;
        String kind;
        switch (random.nextInt(8)) {
            case 0 -> {
                body = array.substring(0, 1 + random.nextInt(array.length() - 1));
                kind = "truncated array";
            }
            case 1 -> {
                body = array.substring(0, array.length() - 1) + ",]";
                kind = "trailing comma";
            }
            case 2 -> {
                body = pick("garbage", "{'a': 1}", "<xml/>", "{\"a\" 1}", "NaN", "[1 2]", "}", "[}", "{\"a\":1}}");
                kind = "not JSON";
            }
            case 3 -> {
                // a valid array whose one string holds bytes that are not UTF-8
                body = array.substring(0, array.length() - 1) + ",{\"event_id\": \"" + BAD_BYTES + "\"}]";
                kind = "invalid UTF-8 in a string";
            }
            case 4 -> {
                body = array + " " + array;
                kind = "content after the array";
            }
            case 5 -> {
                body = array.substring(0, array.length() - 1) + ",{\"event_id\": }]";
                kind = "property without value";
            }
            case 6 -> {
                byte[] noise = new byte[1 + random.nextInt(2000)];
                random.nextBytes(noise);
                noise[0] = (byte) 0xFF; // never valid as the first byte of UTF-8 text
                return new Case(number, "random bytes", pick(null, "application/json"), () -> noise,
                        new WholeBody(400, "malformed JSON"));
            }
            default -> {
                body = array.substring(0, array.length() - 1) + ",{\"event_id\": \"\\u12\"}]";
                kind = "broken escape";
            }
        }
        return new Case(number, kind, "application/json", bytesOf(body), new WholeBody(400, "malformed JSON"));
    }

    private Case overParserLimit(int number) {
        List<Rec> records = mixed(1 + random.nextInt(4));
        String inner = switch (random.nextInt(3)) {
            case 0 -> "[".repeat(64 + random.nextInt(5000)); // left open: the limit is met before the end
            case 1 -> "{\"deep\":".repeat(64 + random.nextInt(500)) + "1" + "}".repeat(64 + 500);
            default -> "{\"big\": " + "7".repeat(1001 + random.nextInt(10_000)) + "}";
        };
        String body = "[" + String.join(",", records.stream().map(Rec::json).toList()) + "," + inner + "]";
        return new Case(number, "over a parser limit", "application/json", bytesOf(body), new WholeBody(400, "limit exceeded"));
    }

    private Case empty(int number) {
        String[] bodies = {"", "  \n", "[]", "[ \n ]"};
        if (random.nextBoolean()) {
            return new Case(number, "empty NDJSON", NDJSON, bytesOf(pick("", "\n\n", " \r\n\t\n")), new WholeBody(400, "no events"));
        }
        return new Case(number, "empty", "application/json", bytesOf(bodies[random.nextInt(bodies.length)]),
                new WholeBody(400, "no events"));
    }

    private Case oversize(int number, boolean ndjson) {
        // valid events first, then padding past 16 MiB: nothing of it may be stored
        List<Rec> records = List.of(validRecordUncounted(), validRecordUncounted());
        String head = ndjson ? records.get(0).json() + "\n" + records.get(1).json() + "\n"
                : "[" + records.get(0).json() + "," + records.get(1).json();
        int size = MAX_BODY_BYTES + 1 + random.nextInt(1 << 20);
        // built when sent, so that the corpus does not hold it meanwhile
        return new Case(number, "over 16 MiB" + (ndjson ? " (NDJSON)" : ""), ndjson ? NDJSON : "application/json", () -> {
            byte[] start = head.getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[size];
            java.util.Arrays.fill(body, (byte) (ndjson ? '\n' : ' '));
            System.arraycopy(start, 0, body, 0, start.length);
            if (!ndjson) {
                body[body.length - 1] = ']';
            }
            return body;
        }, new WholeBody(413, "payload too large"));
    }

    private Case tooManyRecords(int number) {
        List<Rec> records = List.of(validRecordUncounted());
        String body = "[" + records.get(0).json() + ",1".repeat(MAX_EVENTS_PER_REQUEST) + "]";
        return new Case(number, "100,001 records", "application/json", bytesOf(body), new WholeBody(413, "payload too large"));
    }

    private Case atRecordLimit(int number) {
        List<Rec> records = new ArrayList<>(MAX_EVENTS_PER_REQUEST);
        for (int i = 0; i < MAX_EVENTS_PER_REQUEST; i++) {
            records.add(i % 2_000 == 0 ? validRecord() : Rec.refused("1", "record"));
        }
        String body = "[" + String.join(",", records.stream().map(Rec::json).toList()) + "]";
        return new Case(number, "exactly 100,000 records", "application/json", bytesOf(body), expectation(records));
    }

    private Case largeNdjson(int number) {
        List<Rec> records = mixed(2_000);
        String body = String.join("\n", records.stream().map(Rec::json).toList());
        return new Case(number, "2,000-line NDJSON", NDJSON, bytesOf(body), expectation(records));
    }

    /** A valid record in a body that is refused whole: not recorded as sent. */
    private Rec validRecordUncounted() {
        String id = eventId();
        return Rec.valid(write(event(id, family(), "UserLogin", Map.of())), null);
    }

    private static Expected expectation(List<Rec> records) {
        if (records.isEmpty()) {
            return new WholeBody(400, "no events");
        }
        List<String> fields = new ArrayList<>(records.size());
        List<Sent> sent = new ArrayList<>();
        for (Rec r : records) {
            fields.add(r.refusedField());
            if (r.sent() != null) {
                sent.add(r.sent());
            }
        }
        return new PerRecord(fields, sent);
    }

    // ---------------------------------------------------------------- values

    private String eventId() {
        return "fz-" + run + "-" + (nextId++);
    }

    private String family() {
        return families.get(random.nextInt(families.size()));
    }

    private Map<String, Object> event(String id, String family, String type, Map<String, Object> data) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event_id", id);
        e.put("event_type", type);
        e.put("aggregate_id", family);
        e.put("event_timestamp", timestamp());
        e.put("schema_version", 1);
        e.put("event_data", new LinkedHashMap<>(data));
        return e;
    }

    private static Map<String, Object> withVersion(Map<String, Object> event, int version) {
        event.put("schema_version", version);
        return event;
    }

    private String timestamp() {
        Instant t = BASE.plus(Duration.ofMillis(random.nextLong(Duration.ofDays(10).toMillis())));
        return switch (random.nextInt(4)) {
            case 0 -> t.toString();
            case 1 -> t.atOffset(java.time.ZoneOffset.ofHours(2)).toString();
            case 2 -> t.plusNanos(random.nextInt(1_000_000)).toString(); // finer than ms: truncated
            default -> t.atZone(java.time.ZoneId.of("Europe/Paris")).toString(); // with a [zone] suffix
        };
    }

    private Map<String, Object> amount() {
        Map<String, Object> data = data("amount", BigDecimal.valueOf(1 + random.nextInt(100_000), random.nextInt(3)));
        if (random.nextBoolean()) {
            data.put("currency", pick("EUR", "USD", "eur"));
        }
        return data;
    }

    private Map<String, Object> amountWith(String name, Object value) {
        Map<String, Object> data = amount();
        data.put(name, value);
        return data;
    }

    private static Map<String, Object> data(String name, Object value) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(name, value);
        return data;
    }

    /** A random JSON object within every limit, nested up to {@code depth} levels. */
    private Map<String, Object> tree(int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        int size = random.nextInt(5);
        for (int i = 0; i < size; i++) {
            map.put(text(1 + random.nextInt(12)), value(depth - 1));
        }
        return map;
    }

    private Object value(int depth) {
        int roll = random.nextInt(depth > 0 ? 9 : 6);
        return switch (roll) {
            case 0 -> text(random.nextInt(200));
            case 1 -> BigInteger.valueOf(random.nextLong()).multiply(BigInteger.valueOf(random.nextInt(1000)));
            case 2 -> new BigDecimal(new BigInteger(100, random), random.nextInt(40) - 5);
            case 3 -> random.nextBoolean();
            case 4 -> null;
            case 5 -> "";
            case 6, 7 -> tree(depth);
            default -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(value(depth - 1));
                }
                yield list;
            }
        };
    }

    private static final String[] ALPHABETS = {
            "abcdefghijklmnopqrstuvwxyz0123456789 ", "éèüßøñçåÆŒ", "日本語中文한국어", "😀🎉👨‍👩‍👧🇫🇷",
            "\"\\/\b\f\n\r\t\u0001\u001f", "<>&'\"=;:`", "\u2028\u2029\u200b\ufeff\u202e", "ﬀ︎\u0301\u0327"};

    /** Valid text: any characters but U+0000 and unpaired surrogates, of {@code length} characters at most. */
    private String text(int length) {
        StringBuilder out = new StringBuilder();
        int count = 0;
        while (count < length) {
            String alphabet = ALPHABETS[random.nextInt(ALPHABETS.length)];
            int start = random.nextInt(alphabet.length());
            if (Character.isLowSurrogate(alphabet.charAt(start))) {
                start--;
            }
            int cp = alphabet.codePointAt(start);
            out.appendCodePoint(cp);
            count++;
        }
        return out.toString();
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private String whitespace() {
        return pick("", " ", "\n", "\r\n  ", "\t");
    }

    // ---------------------------------------------------------------- JSON text

    /** JSON text of plain values; strings sometimes escaped char by char, unpaired surrogates always escaped. */
    private String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(first ? "" : ",").append(random.nextInt(10) == 0 ? " " : "");
                string(String.valueOf(e.getKey()), out);
                out.append(random.nextInt(10) == 0 ? " : " : ":");
                write(e.getValue(), out);
                first = false;
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i > 0 ? "," : "");
                write(list.get(i), out);
            }
            out.append(']');
        } else if (value instanceof BigDecimal d) {
            // plain only for modest exponents: 1e999999999 written plainly is a gigabyte
            out.append(random.nextBoolean() && Math.abs(d.scale()) < 100 ? d.toPlainString() : d.toString());
        } else {
            out.append(value);
        }
    }

    private void string(String s, StringBuilder out) {
        boolean escapeAll = s.length() < 500 && random.nextInt(5) == 0;
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                    || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || escapeAll && c > 0x7e || Character.isSurrogate(c) && !paired) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    /** UTF-8, with every {@link #BAD_BYTES} marker replaced by bytes that are not UTF-8. */
    private Supplier<byte[]> bytesOf(String text) {
        byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
        if (!text.contains(BAD_BYTES)) {
            return () -> encoded;
        }
        byte[] marker = BAD_BYTES.getBytes(StandardCharsets.UTF_8);
        byte[][] invalid = {{(byte) 0xFF}, {(byte) 0xC3, 0x28}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
        byte[] replacement = invalid[random.nextInt(invalid.length)];
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length);
        for (int i = 0; i < encoded.length; i++) {
            if (matches(encoded, i, marker)) {
                out.writeBytes(replacement);
                i += marker.length - 1;
            } else {
                out.write(encoded[i]);
            }
        }
        byte[] result = out.toByteArray();
        return () -> result;
    }

    private static boolean matches(byte[] bytes, int at, byte[] marker) {
        if (at + marker.length > bytes.length) {
            return false;
        }
        for (int j = 0; j < marker.length; j++) {
            if (bytes[at + j] != marker[j]) {
                return false;
            }
        }
        return true;
    }
}
