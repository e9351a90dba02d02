package dev.pulse.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC §4.1: a bad rule set is refused with the reason, naming the rule and the field. */
class RuleSetValidatorTest {

    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    private static RuleSet set(Rule... rules) {
        return new RuleSet("v1", Arrays.asList(rules));
    }

    private static ThresholdRule threshold(String name, String type, int count, Duration window) {
        return ThresholdRule.of(name, Severity.WARNING, type, count, window);
    }

    @Test
    void shouldAcceptDefaultRuleSetWhenValidating() {
        assertThat(RuleSetValidator.validate(DefaultRules.spec())).isEmpty();
    }

    private static RiskRule risk(String above) {
        return new RiskRule("risky", Severity.WARNING, null, new BigDecimal(above));
    }

    @Test
    void shouldNameEveryRiskRuleWhenTheSetIsUsedWithoutRiskModel() {
        RuleSet set = set(threshold("burst", "UserLogin", 5, TEN_MINUTES), risk("0.8"));

        assertThat(RuleSetValidator.validate(set)).as("valid by itself").isEmpty();
        assertThat(RuleSetValidator.withoutRiskModel(set)).extracting(RuleProblem::rule, RuleProblem::field)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("risky", "kind"));
    }

    @Test
    void shouldAcceptUnknownEventTypeWhenValidating() {
        assertThat(RuleSetValidator.validate(set(threshold("custom", "Custom.Thing_1", 2, TEN_MINUTES)))).isEmpty();
    }

    @Test
    void shouldAcceptEmptyRuleListWhenValidating() {
        assertThat(RuleSetValidator.validate(new RuleSet("v1", List.of()))).isEmpty();
    }

    static Stream<Arguments> badSets() {
        return Stream.of(
                arguments("duplicate names", set(threshold("burst", "UserLogin", 5, TEN_MINUTES), threshold("burst", "UserLogout", 5, TEN_MINUTES)),
                        "rule 'burst': name is used by more than one rule"),
                arguments("risk threshold 0", set(risk("0")), "rule 'risky': above must be in (0, 1), was 0"),
                arguments("risk threshold 1", set(risk("1.0")), "rule 'risky': above must be in (0, 1), was 1.0"),
                arguments("risk threshold above 1", set(risk("80")), "rule 'risky': above must be in (0, 1), was 80"),
                arguments("risk threshold missing", set(new RiskRule("risky", Severity.WARNING, null, null)),
                        "rule 'risky': above must be in (0, 1), was missing"),
                arguments("zero window", set(threshold("burst", "UserLogin", 5, Duration.ZERO)),
                        "rule 'burst': window must be at least 1ms, was PT0S"),
                arguments("negative window", set(threshold("burst", "UserLogin", 5, Duration.ofMinutes(-1))),
                        "rule 'burst': window must be at least 1ms, was PT-1M"),
                arguments("missing window", set(threshold("burst", "UserLogin", 5, null)),
                        "rule 'burst': window is required"),
                arguments("count below 1", set(threshold("burst", "UserLogin", 0, TEN_MINUTES)),
                        "rule 'burst': count must be >= 1, was 0"),
                arguments("empty event type", set(threshold("burst", "", 5, TEN_MINUTES)),
                        "rule 'burst': eventType must name an event type, was empty"),
                arguments("malformed event type", set(threshold("burst", "User Login", 5, TEN_MINUTES)),
                        "rule 'burst': eventType must be an event type, a prefix ending in '*', or '*', was 'User Login'"),
                arguments("empty name", set(threshold("", "UserLogin", 5, TEN_MINUTES)),
                        "rule '#0': name must not be empty"),
                arguments("reserved name", set(threshold("engagement_alert", "UserLogin", 5, TEN_MINUTES)),
                        "rule 'engagement_alert': name is reserved for a built-in pattern"),
                arguments("no severity", set(new ThresholdRule("burst", null, null, "UserLogin", null, 5, TEN_MINUTES)),
                        "rule 'burst': severity is required (info, watch, warning or critical)"),
                arguments("confidence above 1", set(new ThresholdRule("burst", Severity.INFO, new BigDecimal("1.5"), "UserLogin", null, 5, TEN_MINUTES)),
                        "rule 'burst': confidence must be in (0, 1], was 1.5"),
                arguments("same value needs another", set(new SameValueRule("dup", Severity.INFO, null, "PaymentReceived", null,
                                List.of("amount"), 1, TEN_MINUTES)),
                        "rule 'dup': count must be >= 2, was 1"),
                arguments("same value without fields", set(new SameValueRule("dup", Severity.INFO, null, "PaymentReceived", null,
                                List.of(), 2, TEN_MINUTES)),
                        "rule 'dup': fields must name at least one event_data field"),
                arguments("non-positive factor", set(new HistoryRatioRule("unusual", Severity.WATCH, null, "PaymentReceived", null,
                                "amount", BigDecimal.ZERO, 3)),
                        "rule 'unusual': factor must be positive, was 0"),
                arguments("negative drop", set(new DropRule("drop", Severity.CRITICAL, null, "EngagementScoreUpdated", null,
                                "new_score", TEN_MINUTES, BigDecimal.valueOf(-1))),
                        "rule 'drop': dropAbove must be >= 0, was -1"),
                arguments("absence without duration", set(new SequenceRule("overdue", Severity.CRITICAL, null,
                                "PaymentOverdue", "ReminderSent", Duration.ofDays(1), "PaymentReceived", null, null, null)),
                        "rule 'overdue': absentFor is required"),
                arguments("duration without absence", set(new SequenceRule("overdue", Severity.CRITICAL, null,
                                "PaymentOverdue", "ReminderSent", Duration.ofDays(1), null, Duration.ofHours(48), null, null)),
                        "rule 'overdue': absentFor needs 'absent', the type that must not occur"),
                arguments("strict run outside its scope", set(new RunRule("bounces", Severity.WARNING, null, "Email*", "UserLogin", 3,
                                Duration.ofDays(7), Contiguity.STRICT)),
                        "rule 'bounces': eventType 'UserLogin' is outside the scope 'Email*', so a strict run never matches"),
                arguments("non-numeric comparison", set(new ThresholdRule("big", Severity.INFO, null, "PaymentReceived",
                                List.of(DataCondition.of("amount", DataCondition.Op.GT, "lots")), 1, TEN_MINUTES)),
                        "rule 'big': where[0].value must be a number for gt, was 'lots'"),
                arguments("condition without op", set(new ThresholdRule("big", Severity.INFO, null, "PaymentReceived",
                                List.of(DataCondition.of("amount", null, "1")), 1, TEN_MINUTES)),
                        "rule 'big': where[0].op is required (equals, not_equals, gt, gte, lt, lte, present, absent)"),
                arguments("null rule", set((Rule) null), "rule '#0': rule must not be null"),
                arguments("no version", new RuleSet(" ", List.of()), "rule set: version must not be empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSets")
    void shouldNameRuleAndFieldWhenRefusingSet(String problem, RuleSet set, String message) {
        assertThat(RuleSetValidator.validate(set)).extracting(RuleProblem::message).containsExactly(message);
    }

    @Test
    void shouldReportEveryProblemWhenSetHasSeveral() {
        List<Rule> rules = new ArrayList<>(DefaultRules.spec().rules());
        rules.add(threshold("rapid_payments", "PaymentReceived", 0, Duration.ZERO));

        assertThat(RuleSetValidator.validate(new RuleSet("v2", rules)))
                .extracting(RuleProblem::rule, RuleProblem::field)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("rapid_payments", "name"),
                        org.assertj.core.groups.Tuple.tuple("rapid_payments", "count"),
                        org.assertj.core.groups.Tuple.tuple("rapid_payments", "window"));
    }

    @Test
    void shouldRefuseToCompileWhenSetIsInvalid() {
        assertThatThrownBy(() -> CompiledRules.compile(set(threshold("burst", "UserLogin", 0, Duration.ZERO))))
                .isInstanceOf(InvalidRuleSetException.class)
                .hasMessage("rule 'burst': count must be >= 1, was 0; rule 'burst': window must be at least 1ms, was PT0S")
                .satisfies(e -> assertThat(((InvalidRuleSetException) e).problems()).hasSize(2));
    }

    @Test
    void shouldFillDocumentedDefaultsWhenRuleOmitsThem() {
        SequenceRule sequence = new SequenceRule("s", Severity.INFO, null, "A", "B", Duration.ofMinutes(1), null, null, null, null);
        RunRule run = new RunRule("r", Severity.INFO, null, null, "A", 2, Duration.ofMinutes(1), null);

        assertThat(sequence.confidence()).isEqualByComparingTo("1");
        assertThat(sequence.contiguity()).isEqualTo(Contiguity.RELAXED);
        assertThat(sequence.scope()).isEqualTo("*");
        assertThat(run.contiguity()).isEqualTo(Contiguity.STRICT);
        assertThat(run.scope()).isEqualTo("*");
    }
}
