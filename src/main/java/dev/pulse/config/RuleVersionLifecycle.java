package dev.pulse.config;

import dev.pulse.projection.ActiveRules;
import dev.pulse.rules.RuleSet;
import java.time.Duration;
import java.time.InstantSource;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Loads the active rule version at start, before the web server and the pipeline (an earlier phase), and refuses
 * the start when it cannot: lanes must never run without knowing which version they run. Then polls for versions
 * made by other instances until stopped (SPEC §4.1).
 */
final class RuleVersionLifecycle implements SmartLifecycle {

    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);

    private final ActiveRules active;
    private final RuleSet configured;
    private final Duration refreshInterval;
    private final InstantSource clock;
    private final Scheduler scheduler;
    private volatile Disposable watching;

    RuleVersionLifecycle(ActiveRules active, RuleSet configured, Duration refreshInterval, InstantSource clock,
                         Scheduler scheduler) {
        this.active = active;
        this.configured = configured;
        this.refreshInterval = refreshInterval;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    @Override
    public void start() {
        // On the thread starting the context (never an event loop), which may block; Flyway has run by now.
        active.initialize(configured, clock.instant()).block(LOAD_TIMEOUT);
        watching = active.watch(refreshInterval, scheduler).subscribe();
    }

    @Override
    public void stop() {
        Disposable current = watching;
        if (current != null) {
            current.dispose();
        }
        watching = null;
    }

    @Override
    public boolean isRunning() {
        return watching != null;
    }

    /** Before the update relay (DEFAULT_PHASE − 4096), the web server and the pipeline. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 8192;
    }
}
