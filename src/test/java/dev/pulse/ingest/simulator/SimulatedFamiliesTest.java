package dev.pulse.ingest.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Event;
import dev.pulse.event.EventValidator;
import dev.pulse.event.Validated;
import dev.pulse.ingest.EventJson;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The built-in simulator (SPEC §1.3): deterministic for a seed, valid events, and the §3 scenarios in its mix. */
class SimulatedFamiliesTest {

    private static final int FAMILIES = 20;
    private static final long SEED = 42;
    private static final Instant FROM = Instant.parse("2026-10-24T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2026-11-23T09:10:00Z"); // 30 whole days before it
    private static final int LIVE_EVENTS = 2_000;

    private final EventJson json = new EventJson();
    private final EventValidator validator = new EventValidator();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {0, 1, 42, -7, Long.MAX_VALUE})
    void shouldGenerateSameHistoryWhenSeedIsSame(long seed) {
        List<Map<String, Object>> first = new SimulatedFamilies(FAMILIES, seed).history(FROM, UNTIL);
        List<Map<String, Object>> second = new SimulatedFamilies(FAMILIES, seed).history(FROM, UNTIL);

        assertThat(second).isEqualTo(first);
        assertThat(ids(second)).containsExactlyElementsOf(ids(first));
    }

    @Test
    void shouldGenerateSameLiveStreamWhenSeedIsSame() {
        assertThat(live(new SimulatedFamilies(FAMILIES, SEED), LIVE_EVENTS))
                .isEqualTo(live(new SimulatedFamilies(FAMILIES, SEED), LIVE_EVENTS));
    }

    @Test
    void shouldGenerateDifferentHistoryWhenSeedDiffers() {
        assertThat(new SimulatedFamilies(FAMILIES, 1).history(FROM, UNTIL))
                .isNotEqualTo(new SimulatedFamilies(FAMILIES, 2).history(FROM, UNTIL));
    }

    @Test
    void shouldGiveUniqueIdsWhenGeneratingHistory() {
        List<String> ids = ids(history());

        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void shouldCoverEveryFamilyAndDayWhenGeneratingHistory() {
        List<Map<String, Object>> history = history();

        Set<String> families = history.stream().map(e -> (String) e.get("aggregate_id")).collect(Collectors.toSet());
        assertThat(families).hasSize(FAMILIES).contains("family-001", "family-020");
        assertThat(scoresByFamily(history).values()).allSatisfy(scores -> assertThat(scores).hasSize(30));
        assertThat(history).allSatisfy(e -> {
            Instant at = Instant.parse((String) e.get("event_timestamp"));
            assertThat(at).isAfterOrEqualTo(FROM).isBefore(Instant.parse("2026-11-23T00:00:00Z"));
        });
    }

    @Test
    void shouldReuseIdsWhenRegeneratingPartOfHistory() {
        // ids derive from (family, day): regenerating some days yields the same ids, so replays are duplicates
        Set<String> all = new HashSet<>(ids(history()));
        List<String> part = ids(new SimulatedFamilies(FAMILIES, SEED)
                .history(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-05T00:00:00Z")));

        assertThat(part).isNotEmpty();
        assertThat(all).containsAll(part);
    }

    @Test
    void shouldPassValidationWhenHistoryEventsAreSentAsJson() {
        List<Map<String, Object>> history = history();

        for (Map<String, Object> record : history) {
            assertValidAfterJsonRoundTrip(record);
        }
        assertThat(history).hasSizeGreaterThan(FAMILIES * 30);
    }

    @Test
    void shouldPassValidationWhenLiveEventsAreSentAsJson() {
        for (Map<String, Object> record : live(new SimulatedFamilies(FAMILIES, SEED), LIVE_EVENTS)) {
            assertValidAfterJsonRoundTrip(record);
        }
    }

    @Test
    void shouldPassValidationWhenLiveFollowsHistory() {
        SimulatedFamilies simulator = new SimulatedFamilies(FAMILIES, SEED);
        simulator.history(FROM, UNTIL);

        for (Map<String, Object> record : live(simulator, LIVE_EVENTS)) {
            assertValidAfterJsonRoundTrip(record);
        }
    }

    @Test
    void shouldMixEveryKnownTypeWhenGeneratingLiveEvents() {
        Set<String> types = live(new SimulatedFamilies(FAMILIES, SEED), LIVE_EVENTS).stream()
                .map(e -> (String) e.get("event_type")).collect(Collectors.toSet());

        assertThat(types).contains("EngagementScoreUpdated", "PaymentReceived", "PaymentOverdue", "ReminderSent",
                "UserLogin", "UserLogout", "EmailBounced", "EmailDelivered", "EmailOpened");
    }

    @Test
    void shouldDeclineEveryFifthFamilyWhenGeneratingHistory() {
        Map<String, List<Integer>> scores = scoresByFamily(history());

        for (int index = 5; index <= FAMILIES; index += 5) {
            String family = "family-%03d".formatted(index);
            List<Integer> series = scores.get(family);
            assertThat(series.get(0) - series.get(series.size() - 1))
                    .as("%s: first day's score minus last day's score in %s", family, series)
                    .isGreaterThan(40);
        }
    }

    @Test
    void shouldKeepOtherFamiliesSteadyWhenGeneratingHistory() {
        Map<String, List<Integer>> scores = scoresByFamily(history());

        scores.forEach((family, series) -> {
            int index = Integer.parseInt(family.substring("family-".length()));
            if (index % 5 != 0) {
                assertThat(series.stream().mapToInt(Integer::intValue).max().orElseThrow()
                        - series.stream().mapToInt(Integer::intValue).min().orElseThrow())
                        .as("%s: scores %s", family, series)
                        .isLessThanOrEqualTo(8);
            }
        });
    }

    @Test
    void shouldChargeSomeFamilyTwiceWhenGeneratingHistory() {
        Map<String, List<Map<String, Object>>> payments = history().stream()
                .filter(e -> "PaymentReceived".equals(e.get("event_type")))
                .collect(Collectors.groupingBy(e -> (String) e.get("aggregate_id"), TreeMap::new, Collectors.toList()));

        List<String> doubleCharged = new ArrayList<>();
        payments.forEach((family, list) -> {
            list.sort(Comparator.comparing(e -> Instant.parse((String) e.get("event_timestamp"))));
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    if (sameCharge(list.get(i), list.get(j))) {
                        doubleCharged.add(family + ": " + list.get(i).get("event_id") + " / " + list.get(j).get("event_id"));
                    }
                }
            }
        });

        assertThat(doubleCharged).as("equal payments within 10 minutes").isNotEmpty();
    }

    @Test
    void shouldRepeatSomeEventVerbatimWhenGeneratingLiveStream() {
        List<Map<String, Object>> live = live(new SimulatedFamilies(FAMILIES, SEED), LIVE_EVENTS);

        Map<Object, Map<String, Object>> firstById = new HashMap<>();
        int repeats = 0;
        for (Map<String, Object> event : live) {
            Map<String, Object> first = firstById.putIfAbsent(event.get("event_id"), event);
            if (first != null) {
                repeats++;
                assertThat(event).as("a repeat is verbatim").isEqualTo(first);
            }
        }

        assertThat(repeats).as("verbatim repeats among %d live events", LIVE_EVENTS).isPositive();
        assertThat(repeats).as("repeats are the exception").isLessThan(LIVE_EVENTS / 20);
    }

    // ---------------------------------------------------------------- helpers

    private static List<Map<String, Object>> history() {
        return new SimulatedFamilies(FAMILIES, SEED).history(FROM, UNTIL);
    }

    /** Live events 250 ms apart, starting at an instant with sub-millisecond precision. */
    @Test
    void shouldWriteAboutTheGivenShareOfScoresAndPaymentsInVersionTwoEachReadLikeItsVersionOneTwin() {
        EventValidator validator = new EventValidator();
        List<Map<String, Object>> mixed = new SimulatedFamilies(FAMILIES, SEED, 0.5).history(FROM, UNTIL);
        List<Map<String, Object>> v1 = new SimulatedFamilies(FAMILIES, SEED).history(FROM, UNTIL);

        long valued = v1.stream().filter(r -> r.get("event_type").equals("PaymentReceived")
                || r.get("event_type").equals("EngagementScoreUpdated")).count();
        long versionTwo = mixed.stream().filter(r -> Integer.valueOf(2).equals(r.get("schema_version"))).count();
        assertThat(versionTwo).as("about half of %d scores and payments", valued).isBetween(valued * 4 / 10, valued * 6 / 10);
        assertThat(v1).allSatisfy(r -> assertThat(r.get("schema_version")).isEqualTo(1));
        for (int i = 0; i < v1.size(); i++) {
            Event expected = ((Validated.Valid) validator.validate(v1.get(i))).event();
            Validated actual = validator.validate(mixed.get(i));
            assertThat(actual).as("%s", mixed.get(i)).isInstanceOf(Validated.Valid.class);
            Event event = ((Validated.Valid) actual).event();
            assertThat(List.of(event.eventId(), event.eventTimestamp(), event.eventData()))
                    .isEqualTo(List.of(expected.eventId(), expected.eventTimestamp(), expected.eventData()));
        }
    }

    private static List<Map<String, Object>> live(SimulatedFamilies simulator, int count) {
        List<Map<String, Object>> events = new ArrayList<>(count);
        Instant now = UNTIL.plusNanos(123_456_789);
        for (int i = 0; i < count; i++) {
            events.add(simulator.next(now, 7));
            now = now.plus(Duration.ofMillis(250));
        }
        return events;
    }

    private void assertValidAfterJsonRoundTrip(Map<String, Object> record) {
        Object decoded = json.readValue(json.write(record));
        Validated validated = validator.validate(decoded);

        assertThat(validated).as("simulated %s", record).isInstanceOf(Validated.Valid.class);
        Event event = ((Validated.Valid) validated).event();
        assertThat(event.eventId()).isEqualTo(record.get("event_id"));
        assertThat(event.eventTimestamp()).isEqualTo(Instant.parse((String) record.get("event_timestamp")));
    }

    private static List<String> ids(List<Map<String, Object>> events) {
        return events.stream().map(e -> (String) e.get("event_id")).toList();
    }

    /** Each family's history scores in event-time order. */
    private static Map<String, List<Integer>> scoresByFamily(List<Map<String, Object>> events) {
        Map<String, List<Map<String, Object>>> byFamily = events.stream()
                .filter(e -> "EngagementScoreUpdated".equals(e.get("event_type")))
                .collect(Collectors.groupingBy(e -> (String) e.get("aggregate_id"), TreeMap::new, Collectors.toList()));
        Map<String, List<Integer>> scores = new TreeMap<>();
        byFamily.forEach((family, list) -> scores.put(family, list.stream()
                .sorted(Comparator.comparing((Map<String, Object> e) -> Instant.parse((String) e.get("event_timestamp")))
                        .thenComparing(e -> (String) e.get("event_id")))
                .map(e -> ((Number) data(e).get("new_score")).intValue())
                .toList()));
        return scores;
    }

    private static boolean sameCharge(Map<String, Object> a, Map<String, Object> b) {
        Duration apart = Duration.between(Instant.parse((String) a.get("event_timestamp")), Instant.parse((String) b.get("event_timestamp"))).abs();
        return apart.compareTo(Duration.ofMinutes(10)) <= 0
                && ((BigDecimal) data(a).get("amount")).compareTo((BigDecimal) data(b).get("amount")) == 0
                && String.valueOf(data(a).get("currency")).equalsIgnoreCase(String.valueOf(data(b).get("currency")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> event) {
        return (Map<String, Object>) event.get("event_data");
    }
}
