package dev.pulse.config;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import org.springframework.context.SmartLifecycle;

/**
 * Runs an infinite {@code Flux} (the pipeline, the simulator) for as long as the application runs:
 * subscribed on start, disposed on stop (after a drain, for one that has work in hand to finish). The
 * flux recovers from its own failures; one that still terminates is logged, never silently gone.
 */
final class FluxLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FluxLifecycle.class);

    private final String name;
    private final Supplier<Flux<?>> flux;
    private final int phase;
    private final Mono<?> ready;
    private final Duration readyTimeout;
    private final Runnable drain;
    private final Duration drainTimeout;
    private volatile Disposable running;
    /** Emits when the running flux terminated (completed or failed), for a drain to wait on. */
    private volatile Sinks.Empty<Void> terminated = Sinks.empty();

    FluxLifecycle(String name, Supplier<Flux<?>> flux) {
        this(name, flux, DEFAULT_PHASE, Mono.empty(), Duration.ZERO);
    }

    /**
     * @param phase        started in ascending, stopped in descending phase order with the other lifecycles
     * @param ready        completes when the flux is ready for what starts after it; {@link #start} waits for
     *                     it at most {@code readyTimeout}, then carries on (the flux keeps trying on its own)
     */
    FluxLifecycle(String name, Supplier<Flux<?>> flux, int phase, Mono<?> ready, Duration readyTimeout) {
        this(name, flux, phase, ready, readyTimeout, null, Duration.ZERO);
    }

    /**
     * A flux that can finish its work in hand before it stops (the pipeline's checkpoint in flight, SIGTERM).
     *
     * @param drain        asks the flux to complete soon; stopping calls it, then waits for the flux to terminate
     * @param drainTimeout how long stopping waits before it cancels the flux anyway
     */
    static FluxLifecycle draining(String name, Supplier<Flux<?>> flux, Runnable drain, Duration drainTimeout) {
        return new FluxLifecycle(name, flux, DEFAULT_PHASE, Mono.empty(), Duration.ZERO, drain, drainTimeout);
    }

    private FluxLifecycle(String name, Supplier<Flux<?>> flux, int phase, Mono<?> ready, Duration readyTimeout,
                          Runnable drain, Duration drainTimeout) {
        this.name = name;
        this.flux = flux;
        this.phase = phase;
        this.ready = ready;
        this.readyTimeout = readyTimeout;
        this.drain = drain;
        this.drainTimeout = drainTimeout;
    }

    @Override
    public void start() {
        Sinks.Empty<Void> ended = Sinks.empty();
        terminated = ended;
        running = flux.get().doFinally(signal -> ended.tryEmitEmpty()).subscribe(
                next -> { },
                error -> log.error("{} stopped with an error", name, error),
                () -> log.info("{} completed", name));
        if (readyTimeout.isZero()) {
            return;
        }
        try {
            // On the thread starting the context (never an event loop), which may block.
            ready.block(readyTimeout);
        } catch (RuntimeException e) {
            log.warn("{} not ready after {}; starting the rest anyway: {}", name, readyTimeout, e.toString());
        }
    }

    @Override
    public int getPhase() {
        return phase;
    }

    /**
     * With a drain: asks the flux to finish what it holds and calls back once it has (or after the drain timeout,
     * cancelling it then), without holding the stopping thread. Without: cancels at once.
     */
    @Override
    public void stop(Runnable callback) {
        if (drain == null || running == null) {
            stop();
            callback.run();
            return;
        }
        log.info("{} draining: finishing the work in hand (at most {})", name, drainTimeout);
        drain.run();
        terminated.asMono()
                .timeout(drainTimeout)
                .onErrorResume(e -> {
                    log.warn("{} did not finish within {}; cancelling it", name, drainTimeout);
                    return Mono.empty();
                })
                .doFinally(signal -> {
                    stop();
                    callback.run();
                })
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
