package dev.pulse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.rules.DefaultRules;
import dev.pulse.rules.RuleSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;

/** The rule set shipped in application.yml is the spec's (SPEC §3.3), and bad rules are named. */
class RulesPropertiesTest {

    @Test
    void shouldShipTheSpecRulesAsDataInApplicationYml() throws Exception {
        StandardEnvironment env = new StandardEnvironment();
        new YamlPropertySourceLoader().load("main", new ClassPathResource("application.yml"))
                .forEach(env.getPropertySources()::addLast);
        RulesProperties properties = new Binder(ConfigurationPropertySources.get(env))
                .bind("pulse.rules", RulesProperties.class).get();
        RuleSet fromYaml = properties.toRuleSet();
        assertThat(fromYaml.version()).isEqualTo(DefaultRules.spec().version());
        assertThat(fromYaml.rules()).containsExactlyInAnyOrderElementsOf(DefaultRules.spec().rules());
    }

    @Test
    void shouldNameTheKeyWhenARuleKindIsUnknown() {
        RulesProperties properties = new RulesProperties("v", Map.of("bad", new RulesProperties.Pattern("sometimes",
                "warning", null, "UserLogin", null, null, 5, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)));
        assertThatThrownBy(properties::toRuleSet).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("pulse.rules.patterns.bad.kind must be one of threshold, same_value");
    }

    @Test
    void shouldNameTheMissingFieldOfAThresholdRule() {
        RulesProperties properties = new RulesProperties("v", Map.of("burst", new RulesProperties.Pattern("threshold",
                "warning", null, "UserLogin", null, null, 5, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)));
        assertThatThrownBy(properties::toRuleSet).hasMessage("pulse.rules.patterns.burst.window is required for this kind of rule");
    }
}
