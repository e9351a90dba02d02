package dev.pulse.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Event;
import dev.pulse.event.EventValidator;
import dev.pulse.event.Validated;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC §3.6: a stream mixing schema versions gives exactly the results of the same stream in version 1 —
 * every metric, counter row and detection, batch by batch, field by field.
 */
class MixedVersionStreamTest {

    private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
    private final EventValidator validator = new EventValidator();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void shouldGiveTheResultsOfItsVersionOneTwin(long seed) {
        Random random = new Random(seed);
        List<Map<String, Object>> v1 = new ArrayList<>();
        List<Map<String, Object>> mixed = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            Map<String, Object> record = record(random, i);
            v1.add(record);
            mixed.add(random.nextBoolean() ? versionTwo(record) : record);
        }

        List<EngineOutput> expected = run(v1);
        List<EngineOutput> actual = run(mixed);

        assertThat(mixed).as("seed %d: the stream mixes versions", seed).anyMatch(r -> Long.valueOf(2).equals(r.get("schema_version")));
        assertThat(actual).as("seed %d", seed).hasSameSizeAs(expected);
        for (int batch = 0; batch < expected.size(); batch++) {
            assertThat(results(actual.get(batch))).as("seed %d, batch %d", seed, batch).isEqualTo(results(expected.get(batch)));
            // the events retained are the stream's own, each with the schema version it came in
            assertThat(actual.get(batch).retained()).extracting(Event::eventId)
                    .isEqualTo(expected.get(batch).retained().stream().map(Event::eventId).toList());
        }
        assertThat(expected.stream().mapToInt(o -> o.detections().size()).sum()).as("the stream produces detections").isPositive();
    }

    /** A step's output without the events it retained: what the stream computes, not what it was. */
    private static EngineOutput results(EngineOutput output) {
        return new EngineOutput(output.streamTime(), output.watermark(), output.metrics(), output.detections(), output.counters(),
                output.lateEvents(), output.changedFamilies(), List.of(), output.pruned());
    }

    private List<EngineOutput> run(List<Map<String, Object>> records) {
        PartitionEngine engine = PartitionEngine.fresh(EngineSettings.defaults(), InstantSource.fixed(START));
        List<EngineOutput> outputs = new ArrayList<>();
        List<Event> batch = new ArrayList<>();
        for (Map<String, Object> record : records) {
            Validated validated = validator.validate(record);
            assertThat(validated).as("%s", record).isInstanceOf(Validated.Valid.class);
            batch.add(((Validated.Valid) validated).event());
            if (batch.size() == 250) {
                outputs.add(engine.apply(batch));
                batch = new ArrayList<>();
            }
        }
        outputs.add(engine.apply(batch));
        return outputs;
    }

    /** A version-1 record: scores drifting down and up, payments of a few amounts (repeats make detections). */
    private static Map<String, Object> record(Random random, int i) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("event_id", "e-" + i);
        String family = "family-" + random.nextInt(20);
        record.put("aggregate_id", family);
        record.put("event_timestamp", START.plusSeconds(i * 120L - random.nextInt(4)).toString());
        record.put("schema_version", 1L);
        Map<String, Object> data = new LinkedHashMap<>();
        int roll = random.nextInt(10);
        if (roll < 4) {
            record.put("event_type", "EngagementScoreUpdated");
            data.put("new_score", (long) random.nextInt(101));
            data.put("old_score", (long) random.nextInt(101));
        } else if (roll < 8) {
            record.put("event_type", "PaymentReceived");
            data.put("amount", BigDecimal.valueOf(10_000 + 5_000L * random.nextInt(3), 2));
            data.put("currency", "EUR");
        } else {
            record.put("event_type", "UserLogin");
        }
        record.put("event_data", data);
        return record;
    }

    /** The same event written in version 2 where its type has one (SPEC §3.6). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> versionTwo(Map<String, Object> v1) {
        Map<String, Object> data = new LinkedHashMap<>((Map<String, Object>) v1.get("event_data"));
        switch ((String) v1.get("event_type")) {
            case "PaymentReceived" -> data.put("amount_cents", ((BigDecimal) data.remove("amount")).movePointRight(2).longValueExact());
            case "EngagementScoreUpdated" -> data.put("score", data.remove("new_score"));
            default -> {
                return v1;
            }
        }
        Map<String, Object> v2 = new LinkedHashMap<>(v1);
        v2.put("schema_version", 2L);
        v2.put("event_data", data);
        return v2;
    }
}
