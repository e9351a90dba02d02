package dev.pulse.pipeline;

import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * When a lane checks whether its partition is idle (SPEC §2 idle-advance): a few times per idle
 * period, at most once a second, and never when idle-advance is off.
 */
final class IdleChecks {

    private IdleChecks() {
    }

    /** Hot-ish ticks on {@code scheduler}; infinite, or empty when {@code idleAdvance} is zero. A tick the lane cannot take yet is dropped. */
    static Flux<Long> every(Duration idleAdvance, Scheduler scheduler) {
        if (idleAdvance.isZero()) {
            return Flux.empty();
        }
        Duration quarter = idleAdvance.dividedBy(4);
        Duration period = quarter.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : quarter;
        if (period.isZero()) {
            period = Duration.ofMillis(1);
        }
        return Flux.interval(period, scheduler).onBackpressureDrop();
    }
}
