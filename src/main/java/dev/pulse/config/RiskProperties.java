package dev.pulse.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The risk model of SPEC §3.7: a YAML file (a Spring resource location: {@code classpath:…} or
 * {@code file:…}) read at start, so a new model is a new file and a restart, not a rebuild. An empty
 * location turns risk scoring off.
 */
@ConfigurationProperties("pulse.risk")
public record RiskProperties(@DefaultValue("classpath:risk-model.yml") String modelFile) {
}
