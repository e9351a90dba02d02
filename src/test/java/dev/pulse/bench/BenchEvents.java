package dev.pulse.bench;

import dev.pulse.event.Event;
import dev.pulse.event.EventValidator;
import dev.pulse.event.Validated;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The benchmarks' stream: {@code count} distinct events over {@code families} families (a realistic mix:
 * scores, logins, payments, e-mails), one every 60 ms of event time (or every {@code stepMs}), out of order within 4 s. Seeded, so
 * every benchmark measures the same events.
 */
final class BenchEvents {

    private BenchEvents() {
    }

    static List<Event> generate(int count, int families) {
        return generate(count, families, 60);
    }

    /** As {@link #generate(int, int)}, one event every {@code stepMs} of event time. */
    static List<Event> generate(int count, int families, long stepMs) {
        EventValidator validator = new EventValidator();
        Random random = new Random(42);
        Instant t = Instant.parse("2026-10-01T00:00:00Z");
        List<Event> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            t = t.plusMillis(stepMs);
            Map<String, Object> raw = new LinkedHashMap<>();
            raw.put("event_id", "e-" + i);
            raw.put("aggregate_id", "family-" + random.nextInt(families));
            raw.put("event_timestamp", t.minusMillis(random.nextInt(4000)).toString());
            int roll = random.nextInt(10);
            if (roll < 3) {
                raw.put("event_type", "EngagementScoreUpdated");
                raw.put("event_data", Map.of("new_score", 20L + random.nextInt(80)));
            } else if (roll < 5) {
                raw.put("event_type", "PaymentReceived");
                raw.put("event_data", Map.of("amount", BigDecimal.valueOf(1000 + random.nextInt(50_000), 2), "currency", "EUR"));
            } else if (roll < 8) {
                raw.put("event_type", "UserLogin");
            } else {
                raw.put("event_type", random.nextBoolean() ? "EmailOpened" : "EmailBounced");
            }
            all.add(((Validated.Valid) validator.validate(raw)).event());
        }
        return all;
    }
}
