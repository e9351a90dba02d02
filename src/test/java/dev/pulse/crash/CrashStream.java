package dev.pulse.crash;

import dev.pulse.support.EventBodies;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded log for the crash test: families with drifting engagement scores, payments (some repeated
 * within minutes), logins, e-mails, overdue reminders, spread over 40 days of event time so rolling ranges
 * expire and alerts rise and fall. Events arrive up to 4 s out of order (inside the 5 s bound, so none is
 * late), 1 % of records are re-sends of an earlier event and 0.1 % are not JSON.
 * <p>
 * Besides the records, it counts what any correct run must end with, computed here from the generated
 * events alone and not by the code under test: distinct events per family and per (family, type).
 */
final class CrashStream {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration SPAN = Duration.ofDays(40);

    /** A record to produce: key (the family, or null for poison) and value. */
    record Record(String key, String value) {
    }

    private static final String[] TYPES = {"EngagementScoreUpdated", "PaymentReceived", "UserLogin", "EmailOpened",
            "EmailBounced", "PaymentOverdue", "ReminderSent", "UserLogout"};
    private static final int[] WEIGHTS = {30, 15, 25, 10, 8, 5, 5, 2};

    final List<Record> records = new ArrayList<>();
    final Map<String, Integer> distinctPerFamily = new HashMap<>();
    final Map<String, Integer> distinctPerFamilyAndType = new HashMap<>();
    int distinct;
    int duplicates;
    int poison;

    CrashStream(long seed, int events, int families) {
        Random random = new Random(seed);
        Map<String, Integer> scores = new LinkedHashMap<>();
        List<String> sent = new ArrayList<>();
        List<String> sentKeys = new ArrayList<>();
        long step = SPAN.toMillis() / events;
        for (int i = 0; i < events; i++) {
            double roll = random.nextDouble();
            if (roll < 0.001) {
                records.add(new Record(null, "{\"event_id\": \"poison-" + i + "\", not json"));
                poison++;
                continue;
            }
            if (roll < 0.011 && !sent.isEmpty()) {
                int earlier = random.nextInt(sent.size());
                records.add(new Record(sentKeys.get(earlier), sent.get(earlier)));
                duplicates++;
                continue;
            }
            String family = "crash-family-" + random.nextInt(families);
            Instant t = START.plusMillis(i * step - random.nextInt(4_000));
            String type = type(random);
            String body = EventBodies.event("crash-" + seed + "-" + i, type, family, t.toString(), data(type, family, scores, random));
            records.add(new Record(family, body));
            sent.add(body);
            sentKeys.add(family);
            distinct++;
            distinctPerFamily.merge(family, 1, Integer::sum);
            distinctPerFamilyAndType.merge(family + "|" + type, 1, Integer::sum);
        }
    }

    private static String type(Random random) {
        int pick = random.nextInt(100);
        for (int i = 0; i < TYPES.length; i++) {
            pick -= WEIGHTS[i];
            if (pick < 0) {
                return TYPES[i];
            }
        }
        throw new IllegalStateException("weights sum to 100");
    }

    private static String data(String type, String family, Map<String, Integer> scores, Random random) {
        switch (type) {
            case "EngagementScoreUpdated" -> {
                int previous = scores.getOrDefault(family, 40 + random.nextInt(50));
                int next = Math.max(0, Math.min(100, previous + random.nextInt(31) - 17));
                scores.put(family, next);
                return "{\"new_score\": " + next + ", \"old_score\": " + previous + "}";
            }
            case "PaymentReceived" -> {
                // few distinct amounts: repeats within 10 minutes make duplicate_payment detections
                return "{\"amount\": " + (100 + 50 * random.nextInt(4)) + ".00, \"currency\": \"EUR\"}";
            }
            case "EmailOpened", "EmailBounced" -> {
                return "{\"email\": \"" + family + "@example.org\"}";
            }
            default -> {
                return "{}";
            }
        }
    }
}
