package dev.pulse.config;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
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
    private volatile Disposable running;

    FluxLifecycle(String name, Supplier<Flux<?>> flux) {
        this.name = name;
        this.flux = flux;
    }

    @Override
    public void start() {
        running = flux.get().subscribe(
                next -> { },
                error -> log.error("{} stopped with an error", name, error),
                () -> log.warn("{} completed", name));
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
