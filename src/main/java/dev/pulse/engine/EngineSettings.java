package dev.pulse.engine;

import dev.pulse.family.EngagementRules;
import dev.pulse.family.RiskModel;
import dev.pulse.rules.CompiledRules;
import dev.pulse.rules.DefaultRules;
import dev.pulse.stream.window.WindowSpec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The engine's configuration as core values (the {@code config} package builds it from properties).
 * {@link #defaults()} has idle-advance off, as replays and deterministic tests want.
 *
 * @param retention how far behind the watermark a family's events are kept; beyond it they are pruned
 *                  (must cover the longest rolling range and rule window)
 * @param risk      the risk model of SPEC §3.7, or {@link RiskModel#NONE}
 */
public record EngineSettings(Duration maxOutOfOrderness, Duration idleAdvance, Duration allowedLateness,
                             EngagementRules engagement, CompiledRules rules, List<WindowSpec> windows, Duration retention,
                             RiskModel risk) {

    public EngineSettings {
        Objects.requireNonNull(maxOutOfOrderness, "maxOutOfOrderness");
        Objects.requireNonNull(idleAdvance, "idleAdvance");
        Objects.requireNonNull(allowedLateness, "allowedLateness");
        Objects.requireNonNull(engagement, "engagement");
        Objects.requireNonNull(rules, "rules");
        windows = List.copyOf(windows);
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(risk, "risk");
        if (retention.compareTo(engagement.longRange()) < 0) {
            throw new IllegalArgumentException("retention " + retention + " must cover the long range " + engagement.longRange());
        }
        if (retention.compareTo(rules.retention()) < 0) {
            throw new IllegalArgumentException("retention " + retention + " must cover the rules' " + rules.retention());
        }
    }

    public static EngineSettings defaults() {
        return of(Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO, EngagementRules.DEFAULTS,
                CompiledRules.compile(DefaultRules.spec()), WindowSpec.DEFAULTS);
    }

    /** Settings whose retention covers both the 30-day range (plus margin) and the rules' reach. */
    public static EngineSettings of(Duration maxOutOfOrderness, Duration idleAdvance, Duration allowedLateness,
                                    EngagementRules engagement, CompiledRules rules, List<WindowSpec> windows) {
        return new EngineSettings(maxOutOfOrderness, idleAdvance, allowedLateness, engagement, rules, windows,
                retention(engagement, rules), RiskModel.NONE);
    }

    /** The 30-day range plus a margin, or the rules' reach when that is longer. */
    private static Duration retention(EngagementRules engagement, CompiledRules rules) {
        Duration range = engagement.longRange().plus(Duration.ofDays(5));
        return rules.retention().compareTo(range) > 0 ? rules.retention() : range;
    }

    /**
     * These settings with another rule set (SPEC §4.1 rule changes, backtests); the retention grows to the new
     * rules' reach when it needs to (it never shrinks below what {@link #of} gives).
     */
    public EngineSettings withRules(CompiledRules other) {
        return new EngineSettings(maxOutOfOrderness, idleAdvance, allowedLateness, engagement, other, windows,
                retention(engagement, other), risk);
    }

    /** These settings with other window counters (none: {@code List.of()}). */
    public EngineSettings withWindows(List<WindowSpec> other) {
        return new EngineSettings(maxOutOfOrderness, idleAdvance, allowedLateness, engagement, rules, other, retention, risk);
    }

    /** These settings with the risk model of SPEC §3.7. */
    public EngineSettings withRisk(RiskModel model) {
        return new EngineSettings(maxOutOfOrderness, idleAdvance, allowedLateness, engagement, rules, windows, retention, model);
    }
}
