package dev.pulse.ingest.simulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded model of families and their events (SPEC §1.3): most families are steady, every fifth one's
 * engagement falls over the days, every seventh one is sometimes charged twice, and the live stream
 * sometimes repeats an event verbatim as a retrying producer would. Pure and deterministic for a seed:
 * history events get ids derived from (family, day), so regenerating a day yields the same ids.
 * Not thread-safe: one generator, called sequentially. Public for the load generator (scripts/load),
 * which writes the same model at a chosen rate.
 */
public final class SimulatedFamilies {

    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final int DECLINE_FLOOR = 8;

    private final long seed;
    private final double versionTwoShare;
    private final List<String> familyIds = new ArrayList<>();
    private final Map<String, Integer> scores = new LinkedHashMap<>();
    private final Random live;
    private long liveSequence;
    private Map<String, Object> previous;
    private Map.Entry<String, BigDecimal> pendingCharge;

    SimulatedFamilies(int families, long seed) {
        this(families, seed, 0);
    }

    /**
     * @param versionTwoShare the share of scores and payments written in schema version 2 (SPEC §3.6), chosen
     *                        by event id, so a re-sent event keeps its form
     */
    SimulatedFamilies(int families, long seed, double versionTwoShare) {
        this(families, seed, versionTwoShare, "family-");
    }

    /** @param familyPrefix the start of every family id, so that a run can keep its families apart from others' */
    public SimulatedFamilies(int families, long seed, double versionTwoShare, String familyPrefix) {
        this.seed = seed;
        this.versionTwoShare = versionTwoShare;
        this.live = new Random(seed);
        for (int i = 1; i <= families; i++) {
            String id = familyPrefix + "%03d".formatted(i);
            familyIds.add(id);
            scores.put(id, baseScore(i));
        }
    }

    /** Every family's events for each whole UTC day from {@code from} up to (not including) {@code until}'s day. */
    List<Map<String, Object>> history(Instant from, Instant until) {
        List<Map<String, Object>> events = new ArrayList<>();
        LocalDate first = LocalDate.ofInstant(from, ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(until, ZoneOffset.UTC);
        long days = Math.max(1, ChronoUnit.DAYS.between(first, last));
        for (int f = 0; f < familyIds.size(); f++) {
            String family = familyIds.get(f);
            int index = f + 1;
            for (LocalDate day = first; day.isBefore(last); day = day.plusDays(1)) {
                double progress = ChronoUnit.DAYS.between(first, day) / (double) days;
                events.addAll(day(family, index, day, progress));
            }
            // Live scores continue from where the history left off.
            scores.put(family, scoreOn(index, 1.0, new Random(seed ^ index)));
        }
        return events;
    }

    private List<Map<String, Object>> day(String family, int index, LocalDate day, double progress) {
        Random random = new Random(seed * 31 + index * 1_000_003L + day.toEpochDay());
        Instant midnight = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        String prefix = "sim-" + family + "-" + DAY.format(day) + "-";
        List<Map<String, Object>> events = new ArrayList<>();
        int n = 0;
        Instant scoreAt = midnight.plus(Duration.ofMinutes(8 * 60 + random.nextInt(120)));
        events.add(score(prefix + n++, family, scoreAt, scoreOn(index, progress, random)));
        for (int i = random.nextInt(3); i > 0; i--) {
            events.add(event(prefix + n++, "UserLogin", family, midnight.plusSeconds(random.nextInt(86_400)), Map.of()));
        }
        if (random.nextInt(3) == 0) {
            Instant at = midnight.plus(Duration.ofHours(12)).plusSeconds(random.nextInt(20_000));
            BigDecimal amount = amount(random);
            events.add(payment(prefix + n++, family, at, amount));
            if (index % 7 == 3 && random.nextInt(2) == 0) {
                // the duplicate charge coordinators must see: same amount and currency 90 s later
                events.add(payment(prefix + n++, family, at.plusSeconds(90), amount));
            }
        }
        if (random.nextInt(4) == 0) {
            String type = random.nextInt(5) == 0 ? "EmailBounced" : "EmailOpened";
            events.add(event(prefix + n, type, family, midnight.plusSeconds(random.nextInt(86_400)),
                    Map.of("email", family + "@example.org")));
        }
        return events;
    }

    /**
     * One live event at {@code now}: a random family, a realistic mix of types. About one in a hundred is
     * the previous event again, the same instance, as a retrying producer would send it.
     */
    public Map<String, Object> next(Instant now, long runId) {
        if (previous != null && live.nextInt(100) == 0) {
            return previous; // a producer retry: the same event, same id, sent again
        }
        String id = "sim-live-" + runId + "-" + liveSequence++;
        if (pendingCharge != null) {
            // the duplicate charge coordinators must see: the same amount again, moments later
            Map<String, Object> charge = payment(id, pendingCharge.getKey(), now, pendingCharge.getValue());
            pendingCharge = null;
            previous = charge;
            return charge;
        }
        int index = live.nextInt(familyIds.size()) + 1;
        String family = familyIds.get(index - 1);
        // Live time is real time: a family pays a few times a month, not every few seconds, so payments
        // are rare here; logins, e-mails and score updates make up the stream.
        int roll = live.nextInt(1000);
        Map<String, Object> event;
        if (roll < 300) {
            // Declining families keep sliding slowly towards a floor; the others drift a point now and then,
            // staying near their base, so an alert means something happened.
            int current = scores.get(family);
            int score = index % 5 == 0
                    ? Math.max(DECLINE_FLOOR, current - (live.nextInt(8) == 0 ? 1 : 0))
                    : Math.max(baseScore(index) - 4, Math.min(baseScore(index) + 4,
                            current + (live.nextInt(10) == 0 ? live.nextInt(3) - 1 : 0)));
            scores.put(family, score);
            event = score(id, family, now, score);
        } else if (roll < 560) {
            event = event(id, "UserLogin", family, now, Map.of());
        } else if (roll < 565) {
            BigDecimal amount = amount(live);
            event = payment(id, family, now, amount);
            if (index % 7 == 3 && live.nextInt(3) == 0) {
                pendingCharge = Map.entry(family, amount);
            }
        } else if (roll < 760) {
            event = event(id, "UserLogout", family, now, Map.of());
        } else if (roll < 995) {
            String type = live.nextInt(6) == 0 ? "EmailBounced" : live.nextBoolean() ? "EmailDelivered" : "EmailOpened";
            event = event(id, type, family, now, Map.of("email", family + "@example.org"));
        } else {
            event = event(id, live.nextBoolean() ? "ReminderSent" : "PaymentOverdue", family, now, Map.of());
        }
        previous = event;
        return event;
    }

    private static int baseScore(int index) {
        return 55 + (index * 37) % 40;
    }

    private static int scoreOn(int index, double progress, Random random) {
        if (index % 5 == 0) {
            // engagement falling over the days: from the mid 80s to the teens
            return clamp((int) Math.round(85 - 70 * progress) + random.nextInt(5) - 2);
        }
        return clamp(baseScore(index) + random.nextInt(9) - 4);
    }

    private static int clamp(int score) {
        return Math.max(0, Math.min(100, score));
    }

    private static BigDecimal amount(Random random) {
        return BigDecimal.valueOf(20 + random.nextInt(480)).add(BigDecimal.valueOf(random.nextInt(100), 2))
                .setScale(2, RoundingMode.UNNECESSARY);
    }

    private Map<String, Object> score(String id, String family, Instant at, int score) {
        return inVersionTwo(id)
                ? event(id, "EngagementScoreUpdated", family, at, Map.of("score", score), 2)
                : event(id, "EngagementScoreUpdated", family, at, Map.of("new_score", score));
    }

    private Map<String, Object> payment(String id, String family, Instant at, BigDecimal amount) {
        return inVersionTwo(id)
                ? event(id, "PaymentReceived", family, at, Map.of("amount_cents", amount.movePointRight(2).longValueExact(), "currency", "EUR"), 2)
                : event(id, "PaymentReceived", family, at, Map.of("amount", amount, "currency", "EUR"));
    }

    private boolean inVersionTwo(String id) {
        // a hash of the id, spread (the ids differ only in their last characters), as a share of 1,000
        return Math.floorMod(id.hashCode() * 0x9E3779B1, 1_000) < versionTwoShare * 1_000;
    }

    private static Map<String, Object> event(String id, String type, String family, Instant at, Map<String, Object> data) {
        return event(id, type, family, at, data, 1);
    }

    private static Map<String, Object> event(String id, String type, String family, Instant at, Map<String, Object> data,
                                             int schemaVersion) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event_id", id);
        event.put("event_type", type);
        event.put("aggregate_id", family);
        event.put("event_timestamp", at.truncatedTo(ChronoUnit.MILLIS).toString());
        event.put("schema_version", schemaVersion);
        event.put("event_data", data);
        return event;
    }
}
