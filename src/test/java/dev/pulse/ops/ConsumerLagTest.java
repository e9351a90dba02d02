package dev.pulse.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.ingest.kafka.LogEndOffsets.LogRange;
import dev.pulse.projection.CheckpointStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** {@code pulse.consumer.lag} per owned partition (SPEC §5.6): what the gauges show after each read. */
class ConsumerLagTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final AtomicReference<List<CheckpointStatus>> rows = new AtomicReference<>(List.of());
    private final AtomicReference<Mono<Map<Integer, LogRange>>> ranges = new AtomicReference<>(Mono.just(Map.of()));

    @Test
    void shouldShowRecordsAfterTheLastCheckpointAndSecondsBehindForOwnedPartitionsOnly() {
        rows.set(List.of(row(0, 9L, 2.5, "me"), row(1, null, null, "me"), row(2, 3L, 1.0, "someone-else")));
        ranges.set(Mono.just(Map.of(0, new LogRange(0, 0, 15), 1, new LogRange(1, 4, 7), 2, new LogRange(2, 0, 99))));
        Disposable running = start();

        assertThat(gauges("pulse.consumer.lag")).as("offset 9 committed of [0, 15): 5; none committed of [4, 7): 3")
                .isEqualTo(Map.of("0", 5.0, "1", 3.0));
        assertThat(gauges("pulse.consumer.lag.seconds")).isEqualTo(Map.of("0", 2.5));
        running.dispose();
    }

    @Test
    void shouldFollowTheNextReadAndDropAPartitionAnotherInstanceClaimed() {
        rows.set(List.of(row(0, 9L, 2.5, "me"), row(1, 1L, 4.0, "me")));
        ranges.set(Mono.just(Map.of(0, new LogRange(0, 0, 15), 1, new LogRange(1, 0, 2))));
        Disposable running = start();
        rows.set(List.of(row(0, 14L, 0.5, "me"), row(1, 1L, 4.0, "someone-else")));

        time.advanceTimeBy(Duration.ofSeconds(5));

        assertThat(gauges("pulse.consumer.lag")).isEqualTo(Map.of("0", 0.0));
        assertThat(gauges("pulse.consumer.lag.seconds")).isEqualTo(Map.of("0", 0.5));
        running.dispose();
    }

    @Test
    void shouldKeepTheLastRecordCountsWhileTheBrokerDoesNotAnswer() {
        rows.set(List.of(row(0, 9L, 2.5, "me")));
        ranges.set(Mono.just(Map.of(0, new LogRange(0, 0, 15))));
        Disposable running = start();
        ranges.set(Mono.error(new IllegalStateException("broker away")));
        rows.set(List.of(row(0, 12L, 1.5, "me")));

        time.advanceTimeBy(Duration.ofSeconds(5));

        assertThat(gauges("pulse.consumer.lag")).as("unknown now: the last known count stays").isEqualTo(Map.of("0", 5.0));
        assertThat(gauges("pulse.consumer.lag.seconds")).as("from the database, which answered").isEqualTo(Map.of("0", 1.5));
        running.dispose();
    }

    private Disposable start() {
        ConsumerLag lag = new ConsumerLag(() -> Flux.fromIterable(rows.get()), () -> ranges.get(), "me", registry, time,
                Duration.ofSeconds(5), () -> 0);
        Disposable running = lag.run().subscribe();
        time.advanceTime(); // the first read is at once
        return running;
    }

    private Map<String, Double> gauges(String name) {
        Map<String, Double> byPartition = new TreeMap<>();
        for (Gauge gauge : registry.find(name).gauges()) {
            byPartition.put(gauge.getId().getTag("partition"), gauge.value());
        }
        return byPartition;
    }

    private static CheckpointStatus row(int partition, Long lastOffset, Double lagSeconds, String owner) {
        return new CheckpointStatus(partition, lastOffset, null, null, null, lagSeconds, null, 0, 0, 0, 0, "running", null,
                owner, 1, Instant.EPOCH);
    }
}
