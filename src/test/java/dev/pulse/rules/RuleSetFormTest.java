package dev.pulse.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC §3.3, §4.1: the declarative form of a rule set as the API and the version table carry it. */
class RuleSetFormTest {

    @Test
    void shouldReadBackEveryDefaultRuleWhenWritingTheSpecSet() {
        RuleSet read = RuleSetForm.read(RuleSetForm.write(DefaultRules.spec()), "1");
        assertThat(read.version()).isEqualTo("1");
        assertThat(read.rules()).containsExactlyElementsOf(DefaultRules.spec().rules());
    }

    @Test
    void shouldWriteTheSameTextWhenWritingEqualSetsTwice() {
        assertThat(RuleSetForm.write(DefaultRules.spec()).toString()).isEqualTo(RuleSetForm.write(DefaultRules.spec()).toString());
    }

    @Test
    void shouldAcceptShorthandDurationsAndJsonNumbersWhenReading() {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("name", "big_spender");
        rule.put("kind", "threshold");
        rule.put("severity", "watch");
        rule.put("confidence", 0.5);
        rule.put("event_type", "PaymentReceived");
        rule.put("where", List.of(Map.of("field", "amount", "op", "gte", "value", 1000)));
        rule.put("count", 2);
        rule.put("window", "1h");
        RuleSet read = RuleSetForm.read(Map.of("patterns", List.of(rule), "version", 7, "built_in", List.of()), "2");
        assertThat(read.rules()).containsExactly(new ThresholdRule("big_spender", Severity.WATCH, new BigDecimal("0.5"),
                "PaymentReceived", List.of(DataCondition.of("amount", DataCondition.Op.GTE, "1000")), 2, Duration.ofHours(1)));
    }

    @Test
    void shouldNameEveryProblemWhenTheFormIsMalformed() {
        List<Object> patterns = new ArrayList<>();
        patterns.add(Map.of("name", "a", "kind", "sometimes", "severity", "warning"));
        patterns.add(Map.of("name", "b", "kind", "threshold", "severity", "warning", "event_type", "UserLogin", "window", "10 minutes"));
        patterns.add(Map.of("name", "c", "kind", "threshold", "severity", "warning", "event_type", "UserLogin", "count", 2,
                "window", "PT1M", "windw", "PT2M"));
        assertThatThrownBy(() -> RuleSetForm.read(Map.of("patterns", patterns), "x"))
                .isInstanceOf(InvalidRuleSetException.class)
                .hasMessageContaining("rule 'a': kind must be one of threshold, same_value, history_ratio, drop, sequence, run, join, risk, was 'sometimes'")
                .hasMessageContaining("rule 'b': count is required for this kind of rule")
                .hasMessageContaining("rule 'b': window must be a duration such as \"PT10M\" or \"10m\", was 10 minutes")
                .hasMessageContaining("rule 'c': windw is not a field of this kind of rule");
    }

    @Test
    void shouldRefuseWithTheValidatorsReasonWhenTheFormReadsButTheSetIsInvalid() {
        Map<String, Object> rule = Map.of("name", "rapid_payments", "kind", "threshold", "severity", "warning",
                "event_type", "PaymentReceived", "count", 0, "window", "10m");
        assertThatThrownBy(() -> RuleSetForm.read(Map.of("patterns", List.of(rule)), "x"))
                .isInstanceOf(InvalidRuleSetException.class)
                .hasMessage("rule 'rapid_payments': count must be >= 1, was 0");
    }

    @Test
    void shouldRefuseWhenPatternsAreMissing() {
        assertThatThrownBy(() -> RuleSetForm.read(Map.of("rules", List.of()), "x"))
                .isInstanceOf(InvalidRuleSetException.class)
                .hasMessage("rule set: patterns must be a JSON array of rules");
    }
}
