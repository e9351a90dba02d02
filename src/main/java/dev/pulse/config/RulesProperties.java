package dev.pulse.config;

import dev.pulse.rules.Contiguity;
import dev.pulse.rules.DataCondition;
import dev.pulse.rules.DropRule;
import dev.pulse.rules.HistoryRatioRule;
import dev.pulse.rules.JoinRule;
import dev.pulse.rules.RiskRule;
import dev.pulse.rules.Rule;
import dev.pulse.rules.RuleKind;
import dev.pulse.rules.RuleSet;
import dev.pulse.rules.RunRule;
import dev.pulse.rules.SameValueRule;
import dev.pulse.rules.SequenceRule;
import dev.pulse.rules.Severity;
import dev.pulse.rules.ThresholdRule;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The pattern rules as data (SPEC §3.3), under {@code pulse.rules.patterns.<name>}: a map, so that a
 * rule is added (or one changed) by adding keys in any configuration source, without repeating the
 * others. The shipped defaults are in {@code application.yml}. A rule set that does not validate stops
 * the start with every problem named.
 */
@ConfigurationProperties("pulse.rules")
public record RulesProperties(@DefaultValue("spec-v1") String version, Map<String, Pattern> patterns) {

    public RulesProperties {
        patterns = patterns == null ? Map.of() : new LinkedHashMap<>(patterns);
    }

    /** One rule; which fields apply depends on {@code kind} (see the README). */
    public record Pattern(String kind, String severity, BigDecimal confidence, String eventType, List<Condition> where,
                          List<String> fields, Integer count, Duration window, String field, BigDecimal factor,
                          Integer minEarlier, BigDecimal dropAbove, String first, String then, Duration within,
                          String absent, Duration absentFor, String contiguity, String scope, String left, String right,
                          String relation, BigDecimal above) {
    }

    /** A condition on {@code event_data}: {@code field op value}, op one of equals, not_equals, gt, gte, lt, lte, present, absent. */
    public record Condition(String field, String op, String value) {
    }

    /** The rule set these properties describe; throws {@link IllegalArgumentException} naming the key that is wrong. */
    public RuleSet toRuleSet() {
        List<Rule> rules = new ArrayList<>();
        patterns.forEach((name, p) -> rules.add(rule(name, p)));
        return new RuleSet(version, rules);
    }

    private static Rule rule(String name, Pattern p) {
        String key = "pulse.rules.patterns." + name;
        RuleKind kind = RuleKind.fromWireName(required(key, "kind", p.kind()))
                .orElseThrow(() -> new IllegalArgumentException(key + ".kind must be one of "
                        + names(RuleKind.values(), RuleKind::wireName) + ", was '" + p.kind() + "'"));
        Severity severity = Severity.fromWireName(required(key, "severity", p.severity()))
                .orElseThrow(() -> new IllegalArgumentException(key + ".severity must be one of "
                        + names(Severity.values(), Severity::wireName) + ", was '" + p.severity() + "'"));
        List<DataCondition> where = conditions(key, p.where());
        return switch (kind) {
            case THRESHOLD -> new ThresholdRule(name, severity, p.confidence(), p.eventType(), where,
                    required(key, "count", p.count()), required(key, "window", p.window()));
            case SAME_VALUE -> new SameValueRule(name, severity, p.confidence(), p.eventType(), where,
                    required(key, "fields", p.fields()), p.count() == null ? 2 : p.count(), required(key, "window", p.window()));
            case HISTORY_RATIO -> new HistoryRatioRule(name, severity, p.confidence(), p.eventType(), where,
                    required(key, "field", p.field()), required(key, "factor", p.factor()), required(key, "min-earlier", p.minEarlier()));
            case DROP -> new DropRule(name, severity, p.confidence(), p.eventType(), where, required(key, "field", p.field()),
                    required(key, "window", p.window()), required(key, "drop-above", p.dropAbove()));
            case SEQUENCE -> new SequenceRule(name, severity, p.confidence(), required(key, "first", p.first()),
                    required(key, "then", p.then()), required(key, "within", p.within()), p.absent(), p.absentFor(),
                    contiguity(key, p.contiguity(), Contiguity.RELAXED), p.scope() == null ? "*" : p.scope());
            case RUN -> new RunRule(name, severity, p.confidence(), p.scope() == null ? "*" : p.scope(),
                    required(key, "event-type", p.eventType()), required(key, "count", p.count()),
                    required(key, "within", p.within()), contiguity(key, p.contiguity(), Contiguity.STRICT));
            case JOIN -> new JoinRule(name, severity, p.confidence(), required(key, "left", p.left()),
                    required(key, "right", p.right()), required(key, "within", p.within()), required(key, "field", p.field()),
                    JoinRule.Relation.fromWireName(required(key, "relation", p.relation())).orElseThrow(() -> new IllegalArgumentException(
                            key + ".relation must be one of " + names(JoinRule.Relation.values(), JoinRule.Relation::wireName)
                                    + ", was '" + p.relation() + "'")));
            case RISK -> new RiskRule(name, severity, p.confidence(), required(key, "above", p.above()));
        };
    }

    private static List<DataCondition> conditions(String key, List<Condition> where) {
        if (where == null) {
            return List.of();
        }
        List<DataCondition> conditions = new ArrayList<>();
        for (int i = 0; i < where.size(); i++) {
            Condition c = where.get(i);
            String at = key + ".where[" + i + "]";
            DataCondition.Op op = DataCondition.Op.fromWireName(required(at, "op", c.op()))
                    .orElseThrow(() -> new IllegalArgumentException(at + ".op must be one of "
                            + names(DataCondition.Op.values(), DataCondition.Op::wireName) + ", was '" + c.op() + "'"));
            conditions.add(new DataCondition(required(at, "field", c.field()), op, c.value()));
        }
        return conditions;
    }

    private static Contiguity contiguity(String key, String text, Contiguity otherwise) {
        if (text == null) {
            return otherwise;
        }
        return Contiguity.fromWireName(text).orElseThrow(() -> new IllegalArgumentException(key
                + ".contiguity must be one of " + names(Contiguity.values(), Contiguity::wireName) + ", was '" + text + "'"));
    }

    private static <T> T required(String key, String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(key + "." + field + " is required for this kind of rule");
        }
        return value;
    }

    private static <E> String names(E[] values, Function<E, String> name) {
        return Arrays.stream(values).map(name).collect(Collectors.joining(", "));
    }
}
