package dev.pulse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.family.RiskModel;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;

/** The shipped risk model file (SPEC §3.7), and a family's score by hand from it. */
class RiskModelFileTest {

    @Test
    void shouldScoreAFamilyByHandFromTheShippedModelFile() {
        RiskModel model = RiskModelFile.read(new ClassPathResource("risk-model.yml"));

        // score 30, slope -3, change -30, 0 logins, 0 payments, 1 open overdue, 2 bounces, with the file's terms:
        // -2.0 + (-1.2)(30−60)/20 + (-0.6)(-3)/3 + (-0.7)(-30)/15 + (-0.4)(0−3)/3 + (-0.3)(0−1)/1 + 1.5·1 + 0.6·2/2
        // = -2.0 + 1.8 + 0.6 + 1.4 + 0.4 + 0.3 + 1.5 + 0.6 = 4.6;  1 / (1 + e^-4.6) = 0.990048…
        RiskModel.Risk risk = model.assess(Map.of("current_score", 30, "trend_slope", -3.0, "change_7d", -30, "logins_7d", 0,
                "payments_7d", 0, "open_overdue", 1, "bounces_30d", 2));

        assertThat(model.version()).isEqualTo("risk-v1-2026-11");
        assertThat(model.features()).hasSize(RiskModel.FEATURES.size());
        assertThat(risk.score()).isEqualTo(new BigDecimal("0.9900"));
        assertThat(risk.factors()).containsExactly("current_score", "open_overdue", "change_7d");
    }

    @Test
    void shouldRefuseAFileNamingTheKeyThatIsWrong() {
        assertThatThrownBy(() -> RiskModelFile.read(yaml("model-version: x\nintercept: -1\nfeatures:\n  logins_7d: {mean: 3, weight: 1}\n")))
                .hasMessageContaining("features.logins_7d.scale must be a number, was missing");
        assertThatThrownBy(() -> RiskModelFile.read(yaml("intercept: -1\nfeatures: {}\n")))
                .hasMessageContaining("model-version must be a text, was missing");
        assertThatThrownBy(() -> RiskModelFile.read(yaml("model-version: x\nintercept: low\nfeatures: {}\n")))
                .hasMessageContaining("intercept must be a number, was 'low'");
        assertThatThrownBy(() -> RiskModelFile.read(yaml("model-version: x\nintercept: 0\nfeatures:\n  age: {mean: 1, scale: 1, weight: 1}\n")))
                .hasMessageContaining("unknown risk feature 'age'");
        assertThatThrownBy(() -> RiskModelFile.read(yaml("[1, 2")))
                .hasMessageContaining("cannot be read");
    }

    private static ByteArrayResource yaml(String text) {
        return new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8), "test model");
    }
}
