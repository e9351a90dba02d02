package dev.pulse.polling;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Background work an instance repeats on a clock (lag gauges, trending, a replay's switch-over, log retention): a step
 * at once and then every period, one at a time. A tick that comes while a step runs is dropped, not queued, so a slow
 * step never makes the next ones pile up; a step that fails is reported and tried again at the next tick, so the
 * polling never ends on an error.
 */
public final class Polling {

    private Polling() {
    }

    /**
     * Cold and infinite: what each step answers, in order.
     *
     * @param step      one step's work, subscribed afresh at each tick
     * @param onFailure told of a step that failed (to log it); the step is tried again at the next tick
     */
    public static <T> Flux<T> every(Duration period, Scheduler scheduler, Supplier<Mono<T>> step, Consumer<Throwable> onFailure) {
        return Flux.interval(Duration.ZERO, period, scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> step.get().onErrorResume(e -> {
                    onFailure.accept(e);
                    return Mono.empty();
                }), 0);
    }
}
