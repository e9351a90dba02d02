package dev.pulse.config;

import dev.pulse.family.RiskModel;
import org.springframework.core.io.ClassPathResource;

/** The risk model file Pulse ships ({@code risk-model.yml}), read as configuration reads it, for tests of the core. */
public final class ShippedRiskModel {

    private static final RiskModel MODEL = RiskModelFile.read(new ClassPathResource("risk-model.yml"));

    private ShippedRiskModel() {
    }

    public static RiskModel get() {
        return MODEL;
    }
}
