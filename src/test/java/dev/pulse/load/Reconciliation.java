package dev.pulse.load;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a load run finds when it compares every family's {@code events_processed} before and after with
 * the distinct events it sent: families short of their events (lost) and families over (counted twice).
 */
record Reconciliation(int families, long expected, long counted, Map<String, Long> lost, Map<String, Long> doubled) {

    static Reconciliation of(Map<String, Long> expectedPerFamily, Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> lost = new TreeMap<>();
        Map<String, Long> doubled = new TreeMap<>();
        long expected = 0;
        long counted = 0;
        for (var entry : expectedPerFamily.entrySet()) {
            String family = entry.getKey();
            long delta = after.getOrDefault(family, 0L) - before.getOrDefault(family, 0L);
            expected += entry.getValue();
            counted += delta;
            if (delta < entry.getValue()) {
                lost.put(family, entry.getValue() - delta);
            } else if (delta > entry.getValue()) {
                doubled.put(family, delta - entry.getValue());
            }
        }
        return new Reconciliation(expectedPerFamily.size(), expected, counted, lost, doubled);
    }

    boolean exact() {
        return lost.isEmpty() && doubled.isEmpty();
    }

    String summary() {
        if (exact()) {
            return "all %d families reconciled: %d events counted, none lost, none doubled".formatted(families, counted);
        }
        return "NOT reconciled: expected %d events, counted %d; %d of %d families short (%s), %d over (%s)"
                .formatted(expected, counted, lost.size(), families, sample(lost), doubled.size(), sample(doubled));
    }

    private static String sample(Map<String, Long> byFamily) {
        return byFamily.entrySet().stream().limit(5).map(e -> e.getKey() + " by " + e.getValue())
                .reduce((a, b) -> a + ", " + b).orElse("none") + (byFamily.size() > 5 ? ", ..." : "");
    }
}
