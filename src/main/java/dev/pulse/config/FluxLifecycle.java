package dev.pulse.config;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import org.springframework.context.SmartLifecycle;

/**
 * Runs an infinite {@code Flux} (the pipeline, the simulator) for as long as the application runs:
 * subscribed on start, disposed on stop. The flux recovers from its own failures; one that still
 * terminates is logged, never silently gone.
 */
final class FluxLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FluxLifecycle.class);

    private final String name;
    private final Supplier<Flux<?>> flux;
    private final int phase;
    private final Mono<?> ready;
    private final Duration readyTimeout;
    private volatile Disposable running;

    FluxLifecycle(String name, Supplier<Flux<?>> flux) {
        this(name, flux, DEFAULT_PHASE, Mono.empty(), Duration.ZERO);
    }

    /**
     * @param phase        started in ascending, stopped in descending phase order with the other lifecycles
     * @param ready        completes when the flux is ready for what starts after it; {@link #start} waits for
     *                     it at most {@code readyTimeout}, then carries on (the flux keeps trying on its own)
     */
    FluxLifecycle(String name, Supplier<Flux<?>> flux, int phase, Mono<?> ready, Duration readyTimeout) {
        this.name = name;
        this.flux = flux;
        this.phase = phase;
        this.ready = ready;
        this.readyTimeout = readyTimeout;
    }

    @Override
    public void start() {
        running = flux.get().subscribe(
                next -> { },
                error -> log.error("{} stopped with an error", name, error),
                () -> log.warn("{} completed", name));
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
