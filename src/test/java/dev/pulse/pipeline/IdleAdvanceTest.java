package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.engine.EngineOutput;
import dev.pulse.engine.EngineSettings;
import dev.pulse.engine.PartitionEngine;
import dev.pulse.event.Events;
import dev.pulse.family.EngagementRules;
import dev.pulse.rules.CompiledRules;
import dev.pulse.rules.DefaultRules;
import dev.pulse.rules.DetectionChange;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Idle-advance in virtual time (SPEC §2): a quiet partition's watermark follows the wall clock, so an
 * absence pattern fires at its deadline although no event arrives after it.
 */
class IdleAdvanceTest {

    private static final Instant OVERDUE = Instant.parse("1970-01-01T01:00:00Z");
    private static final Instant REMINDER = OVERDUE.plus(Duration.ofHours(1));
    private static final Instant DEADLINE = REMINDER.plus(Duration.ofHours(48));

    /** One lane's idle checks driving its engine, as the pipeline does; the wall clock is the virtual scheduler's. */
    private static Flux<EngineOutput> quietLane(Duration idleAdvance) {
        Scheduler scheduler = Schedulers.parallel();   // resolved inside withVirtualTime: virtual
        InstantSource wall = () -> Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS));
        EngineSettings settings = EngineSettings.of(Duration.ofSeconds(5), idleAdvance, Duration.ZERO,
                EngagementRules.DEFAULTS, CompiledRules.compile(DefaultRules.spec()), dev.pulse.stream.window.WindowSpec.DEFAULTS);
        PartitionEngine engine = PartitionEngine.fresh(settings, wall);
        engine.apply(List.of(
                Events.of("PaymentOverdue", "family-1").at(OVERDUE.toString()).id("o").build(),
                Events.of("ReminderSent", "family-1").at(REMINDER.toString()).id("r").build()));
        return IdleChecks.every(idleAdvance, scheduler)
                .concatMap(tick -> Mono.justOrEmpty(engine.onIdleCheck()))
                .filter(output -> !output.detections().isEmpty());
    }

    @Test
    void shouldFireAbsencePatternOnAQuietPartitionOnceWallClockPassesTheDeadline() {
        // Wall clock starts at 1970-01-01T00:00Z; the watermark becomes wall − 5 s once 30 s passed without events.
        Duration untilFired = Duration.between(Instant.EPOCH, DEADLINE).plusSeconds(5);
        StepVerifier.withVirtualTime(() -> quietLane(Duration.ofSeconds(30)))
                .expectSubscription()
                .expectNoEvent(untilFired)                  // watermark = wall − 5 s ≤ deadline: not yet
                .thenAwait(Duration.ofSeconds(1))           // the next check: watermark > deadline
                .assertNext(output -> {
                    assertThat(output.detections()).hasSize(1);
                    DetectionChange change = output.detections().get(0);
                    assertThat(change).isInstanceOf(DetectionChange.Emitted.class);
                    assertThat(change.detection().pattern()).isEqualTo("overdue_no_payment");
                    assertThat(change.detection().anchor()).isEqualTo("o");
                    assertThat(change.detection().detectedAt()).isEqualTo(DEADLINE);
                    assertThat(output.watermark().instant()).isAfter(DEADLINE);
                })
                .expectNoEvent(Duration.ofHours(1))         // fired once, never again
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void shouldNeverAdvanceTheWatermarkWhenIdleAdvanceIsOff() {
        StepVerifier.withVirtualTime(() -> quietLane(Duration.ZERO))
                .expectSubscription()
                .expectComplete()                           // no checks at all: replays and tests are deterministic
                .verify(Duration.ofSeconds(5));
    }
}
