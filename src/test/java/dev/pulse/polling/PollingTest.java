package dev.pulse.polling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class PollingTest {

    @Test
    void stepsAtOnceAndEveryPeriodAndGoesOnAfterAFailedStep() {
        AtomicInteger steps = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        StepVerifier.withVirtualTime(() -> Polling.every(Duration.ofSeconds(10), VirtualTimeScheduler.get(), () -> Mono.defer(() -> {
                    int n = steps.incrementAndGet();
                    return n == 2 ? Mono.error(new IllegalStateException("database away")) : Mono.just(n);
                }), failures::add))
                .expectNext(1)
                .expectNoEvent(Duration.ofSeconds(10))   // the second step failed: nothing, and no error
                .thenAwait(Duration.ofSeconds(10))
                .expectNext(3)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(failures).singleElement().extracting(Throwable::getMessage).isEqualTo("database away");
    }

    @Test
    void dropsTheTicksThatComeWhileAStepRuns() {
        List<Sinks.One<Integer>> running = new CopyOnWriteArrayList<>();
        StepVerifier.withVirtualTime(() -> Polling.every(Duration.ofSeconds(1), VirtualTimeScheduler.get(), () -> Mono.defer(() -> {
                    Sinks.One<Integer> step = Sinks.one();
                    running.add(step);
                    return step.asMono();
                }), e -> { }))
                .thenAwait(Duration.ofMillis(3_500))
                .then(() -> assertThat(running).as("steps begun while the first ran through three ticks").hasSize(1))
                .then(() -> running.get(0).tryEmitValue(1))
                .expectNext(1)
                .then(() -> assertThat(running).as("the ticks that came meanwhile were dropped, not queued").hasSize(1))
                .thenAwait(Duration.ofMillis(500))
                .then(() -> assertThat(running).as("the next tick begins the next step").hasSize(2))
                .then(() -> running.get(1).tryEmitValue(2))
                .expectNext(2)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }
}
