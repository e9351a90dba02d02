package dev.pulse.config;

import dev.pulse.family.RiskModel;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/** The risk model (SPEC §3.7), read once at start; a file that does not validate stops the start with the reason. */
@Configuration(proxyBeanMethods = false)
class RiskBeans {

    @Bean
    RiskModel riskModel(RiskProperties properties, ResourceLoader resources) {
        if (properties.modelFile() == null || properties.modelFile().isBlank()) {
            return RiskModel.NONE;
        }
        return RiskModelFile.read(resources.getResource(properties.modelFile()));
    }
}
