package dev.pulse.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LoadStreamTest {

    private static final Instant FROM = Instant.parse("2026-10-01T00:00:00Z");

    @Test
    void shouldExpectEveryDistinctEventOnceAndNoProducerRetry() {
        LoadStream stream = new LoadStream(options("--events", "5000", "--families", "40", "--from", FROM.toString()));
        List<Map<String, Object>> events = stream.next(5_000, Instant.EPOCH);

        Set<String> distinctIds = events.stream().map(e -> (String) e.get("event_id")).collect(Collectors.toSet());
        assertThat(stream.retries()).as("the model repeats about one event in a hundred").isBetween(20L, 100L);
        assertThat(stream.distinct()).isEqualTo(distinctIds.size()).isEqualTo(5_000 - stream.retries());
        assertThat(stream.expectedPerFamily().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(distinctIds.size());
        Map<String, Long> perFamily = events.stream().collect(Collectors.groupingBy(e -> (String) e.get("aggregate_id"),
                Collectors.mapping(e -> (String) e.get("event_id"), Collectors.collectingAndThen(Collectors.toSet(), s -> (long) s.size()))));
        assertThat(stream.expectedPerFamily()).isEqualTo(perFamily);
    }

    @Test
    void shouldStampAFixedRangeStepByStepWhenGivenAStart() {
        LoadStream stream = new LoadStream(options("--events", "3", "--from", FROM.toString(), "--step-ms", "250"));
        List<Map<String, Object>> events = stream.next(3, Instant.EPOCH);

        assertThat(events).extracting(e -> e.get("event_timestamp"))
                .containsExactly("2026-10-01T00:00:00Z", "2026-10-01T00:00:00.250Z", "2026-10-01T00:00:00.500Z");
    }

    @Test
    void shouldBeTheSameStreamForTheSameSeedAndRun() {
        String[] args = {"--events", "500", "--families", "10", "--seed", "7", "--run-id", "1"};
        assertThat(new LoadStream(options(args)).next(500, FROM)).isEqualTo(new LoadStream(options(args)).next(500, FROM));
    }

    @Test
    void shouldEmitSchemaVersionTwoForTheAskedShare() {
        List<Map<String, Object>> events = new LoadStream(options("--events", "4000", "--v2-share", "0.5")).next(4_000, FROM);
        long scoresAndPayments = events.stream().filter(e -> Set.of("EngagementScoreUpdated", "PaymentReceived").contains(e.get("event_type"))).count();
        long v2 = events.stream().filter(e -> Integer.valueOf(2).equals(e.get("schema_version"))).count();
        assertThat((double) v2 / scoresAndPayments).isBetween(0.4, 0.6);
    }

    @Test
    void shouldKeepItsFamiliesApartByPrefix() {
        List<Map<String, Object>> events = new LoadStream(options("--family-prefix", "run7-", "--families", "3")).next(100, FROM);
        assertThat(events).extracting(e -> (String) e.get("aggregate_id")).allMatch(id -> id.matches("run7-00[123]"));
    }

    @Test
    void shouldRefuseBadOptionsNamingThem() {
        assertThatThrownBy(() -> options("--target", "ftp")).hasMessageContaining("--target must be kafka or http, was ftp");
        assertThatThrownBy(() -> options("--events", "ten")).hasMessageContaining("--events: not a valid value: ten");
        assertThatThrownBy(() -> options("--rate", "-5")).hasMessageContaining("--rate must be >= 0");
        assertThatThrownBy(() -> options("--from", "yesterday")).hasMessageContaining("--from: not a valid value");
        assertThatThrownBy(() -> options("--color", "red")).hasMessageContaining("unknown option --color");
        assertThatThrownBy(() -> options("--events")).hasMessageContaining("--events needs a value");
    }

    @Test
    void shouldReadMaxAsNoRateLimit() {
        assertThat(options("--rate", "max").rate()).isZero();
        assertThat(options("--rate", "1500").rate()).isEqualTo(1500);
    }

    private static LoadOptions options(String... args) {
        return LoadOptions.parse(List.of(args), 99);
    }
}
