package dev.pulse.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns {@link ConfigurationCheck}'s refusal into Spring Boot's "APPLICATION FAILED TO START" report: every problem on
 * a line of its own, and where to fix it. Registered in {@code META-INF/spring.factories}.
 */
public final class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<ConfigurationCheck.InvalidConfigurationException> {

    public InvalidConfigurationFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationCheck.InvalidConfigurationException cause) {
        StringBuilder description = new StringBuilder("Pulse's configuration is not valid:\n");
        cause.problems().forEach(p -> description.append("\n    - ").append(p));
        return new FailureAnalysis(description.toString(),
                "Fix the keys named above where they are set: application.yml, a --key=value argument, or the environment"
                        + " (pulse.stream.idle-advance is PULSE_STREAM_IDLE_ADVANCE). README.md, section Configuration, lists"
                        + " every key with its default.",
                cause);
    }
}
