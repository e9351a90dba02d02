package dev.pulse.projection;

import dev.pulse.rules.CompiledRules;
import dev.pulse.rules.RuleSet;
import dev.pulse.rules.RuleSetForm;
import dev.pulse.rules.RuleVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.json.JsonMapper;

/**
 * This instance's copy of the active rule version (SPEC §4.1), read by every partition lane at the start of each
 * micro-batch, so that a switch takes effect between batches, never inside one. It changes when this instance
 * makes a version ({@link #replace}) and, for versions made by other instances, when {@link #watch} sees a new
 * active number in PostgreSQL (a poll: a lost notification can never leave an instance on an old version).
 * Thread-safe: one atomic reference, replaced whole.
 */
public final class ActiveRules {

    private static final Logger log = LoggerFactory.getLogger(ActiveRules.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RuleVersions store;
    private final AtomicReference<RuleVersion> current = new AtomicReference<>();

    public ActiveRules(RuleVersions store) {
        this.store = store;
    }

    /** The active version as this instance knows it; fails before {@link #initialize} completed. */
    public RuleVersion current() {
        RuleVersion version = current.get();
        if (version == null) {
            throw new IllegalStateException("the active rule version is not loaded yet");
        }
        return version;
    }

    /** The declarative form of a rule set as stored (and answered by the API): JSON text. */
    public static String json(RuleSet set) {
        return JSON.writeValueAsString(RuleSetForm.write(set));
    }

    /** Reads a stored form back (stored forms were validated when they were made). */
    public static RuleSet ruleSet(RuleVersions.Stored stored) {
        return RuleSetForm.read(JSON.readValue(stored.ruleSet(), Object.class), Long.toString(stored.version()));
    }

    /**
     * At start: records the configured rule set as a version when it is new ({@link RuleVersions#syncConfigured})
     * and loads the active version. Cold; errors with the driver's exception.
     */
    public Mono<RuleVersion> initialize(RuleSet configured, Instant now) {
        return store.syncConfigured(json(configured), configured.version(), now).map(this::install);
    }

    /**
     * Stores an already validated candidate as the next version, makes it active and answers it; this instance's
     * lanes take it from their next batch on. Cold; errors with the driver's exception.
     */
    public Mono<RuleVersion> replace(RuleSet candidate, String changedBy, Instant now) {
        return replace(candidate, null, changedBy, now);
    }

    /** As {@link #replace(RuleSet, String, Instant)}, with a label stored on the version (null: none). */
    public Mono<RuleVersion> replace(RuleSet candidate, String label, String changedBy, Instant now) {
        CompiledRules.compile(candidate); // refused here, never stored, if it does not validate
        return store.add(json(candidate), label, changedBy, now).map(this::install);
    }

    /** Reloads the active version when its number changed in PostgreSQL; answers the current one. */
    public Mono<RuleVersion> refresh() {
        return store.activeNumber().flatMap(number -> {
            RuleVersion known = current.get();
            if (known != null && known.number() == number) {
                return Mono.just(known);
            }
            return store.active().map(this::install);
        });
    }

    /**
     * Hot in effect (each subscription polls on its own), infinite: refreshes every {@code interval}; a failed
     * poll is logged and the next one tried, so a database outage delays a switch but never ends the watch.
     */
    public Flux<RuleVersion> watch(Duration interval, Scheduler scheduler) {
        // A poll slower than the interval (a slow or unreachable database) skips ticks: without the drop the
        // interval would overflow and end the watch for good, and other instances' versions would never arrive.
        return Flux.interval(interval, interval, scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> refresh().onErrorResume(e -> {
                    log.warn("could not read the active rule version (keeping version {}): {}",
                            current.get() == null ? "none" : current.get().number(), e.toString());
                    return Mono.empty();
                }));
    }

    private RuleVersion install(RuleVersions.Stored stored) {
        Objects.requireNonNull(stored, "stored");
        RuleVersion next = new RuleVersion(stored.version(), CompiledRules.compile(ruleSet(stored)), stored.changedBy(),
                stored.changedAt());
        // Never back: a slow poll answering an older number must not undo a newer version installed meanwhile.
        RuleVersion installed = current.accumulateAndGet(next,
                (old, candidate) -> old != null && old.number() > candidate.number() ? old : candidate);
        if (installed == next) {
            log.info("rule version {} active (by {} at {})", next.number(), next.changedBy(), next.changedAt());
        }
        return installed;
    }
}
