package dev.pulse.pipeline;

import dev.pulse.ingest.kafka.LogRecord;
import dev.pulse.pipeline.LaneInputs.LaneInput;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * A lane's micro-batches in virtual time: every record leaves within one checkpoint interval of the lane
 * asking for it, and a slow step makes the next batch take what queued meanwhile, up to the batch size.
 */
class LaneInputsTest {

    private static final Duration INTERVAL = Duration.ofMillis(200);

    private static Flux<LogRecord> records(int count) {
        return Flux.range(0, count).map(offset -> new LogRecord("events", 0, offset, "family-" + offset, new byte[0], 1));
    }

    /** The sizes of the batches a lane's steps take, each step taking {@code step} (zero: within the call). */
    private static Flux<Integer> batchSizes(Flux<LogRecord> records, int maxEvents, Duration step) {
        return LaneInputs.of(records, maxEvents, INTERVAL, Duration.ZERO, Schedulers.parallel(), Mono.never())
                .concatMap(input -> step.isZero() ? Mono.just(input.records().size())
                        : Mono.delay(step, Schedulers.parallel()).thenReturn(input.records().size()));
    }

    @Test
    void shouldCutThePartialBatchAtTheIntervalWhenItsRecordsArrivedWhileTheLaneAskedForMore() {
        // 23 records ready upstream, batches of 5: the buffer asks for 20 (its read-ahead), passes on four full
        // batches, and receives the last 3 while asking for more. Those 3 must still leave at the interval
        // (reactor-core 3.8.6 kept them until 2 more records came, however long that took).
        StepVerifier.withVirtualTime(() -> batchSizes(records(23).concatWith(Flux.never()), 5, Duration.ZERO))
                .expectSubscription()
                .expectNext(5, 5, 5, 5)
                .expectNoEvent(INTERVAL.minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(3)
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void shouldLetTheBatchAfterASlowStepTakeWhatQueuedUpToTheBatchSize() {
        // The first batch is cut at the interval with the one record there; while its 10-second step runs,
        // 12 more arrive. They leave as one full batch of 10 and the 2 left, not as many interval-sized ones.
        StepVerifier.withVirtualTime(() -> batchSizes(records(1)
                        .concatWith(Mono.delay(Duration.ofSeconds(1), Schedulers.parallel()).thenMany(records(12)))
                        .concatWith(Flux.never()), 10, Duration.ofSeconds(10)))
                .expectSubscription()
                .expectNoEvent(INTERVAL.plusSeconds(10).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(1)
                .thenAwait(Duration.ofSeconds(10))
                .expectNext(10)
                .thenAwait(INTERVAL.plusSeconds(10))
                .expectNext(2)
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }
}
