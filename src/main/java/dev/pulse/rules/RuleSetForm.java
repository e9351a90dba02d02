package dev.pulse.rules;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link RuleSet} as plain JSON values (maps, lists, strings, numbers; no JSON library here): the declarative
 * form that {@code GET /api/rules} answers, {@code PUT /api/rules} and {@code POST /api/rules/backtest} take,
 * and {@code rule_set_versions} stores (SPEC §3.3, §4.1):
 * <pre>{"patterns": [{"name": "rapid_payments", "kind": "threshold", "severity": "warning", "confidence": 1,
 *                "event_type": "PaymentReceived", "where": [], "count": 3, "window": "PT10M"}, ...]}</pre>
 * Keys are snake_case as the rest of the API; durations are written ISO-8601 ({@code PT10M}) and read either so
 * or in the configuration's shorthand ({@code 10m}, {@code 48h}, {@code 1d}, {@code 500ms}). Other top-level keys
 * ({@code version}, {@code built_in}, ... of a {@code GET} answer) are ignored, so an answer can be edited and
 * sent back; an unknown key inside a pattern is refused (a typo must not silently drop an optional field).
 * {@link #write} is deterministic (fixed key order), so two writes of equal sets are equal text.
 */
public final class RuleSetForm {

    private static final Pattern SHORTHAND = Pattern.compile("(\\d{1,15})(ms|s|m|h|d)");
    private static final Set<String> COMMON = Set.of("name", "kind", "severity", "confidence");

    private RuleSetForm() {
    }

    /** The set's form: {@code {"patterns": [...]}} in rule order. */
    public static Map<String, Object> write(RuleSet set) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("patterns", set.rules().stream().map(RuleSetForm::write).toList());
        return form;
    }

    /** One rule's form: name, kind, severity, confidence, then the kind's fields in the record's order. */
    public static Map<String, Object> write(Rule rule) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", rule.name());
        m.put("kind", rule.kind().wireName());
        m.put("severity", rule.severity() == null ? null : rule.severity().wireName());
        m.put("confidence", rule.confidence());
        if (rule instanceof ThresholdRule r) {
            m.put("event_type", r.eventType());
            m.put("where", where(r.where()));
            m.put("count", r.count());
            m.put("window", text(r.window()));
        } else if (rule instanceof SameValueRule r) {
            m.put("event_type", r.eventType());
            m.put("where", where(r.where()));
            m.put("fields", r.fields());
            m.put("count", r.count());
            m.put("window", text(r.window()));
        } else if (rule instanceof HistoryRatioRule r) {
            m.put("event_type", r.eventType());
            m.put("where", where(r.where()));
            m.put("field", r.field());
            m.put("factor", r.factor());
            m.put("min_earlier", r.minEarlier());
        } else if (rule instanceof DropRule r) {
            m.put("event_type", r.eventType());
            m.put("where", where(r.where()));
            m.put("field", r.field());
            m.put("window", text(r.window()));
            m.put("drop_above", r.dropAbove());
        } else if (rule instanceof SequenceRule r) {
            m.put("first", r.first());
            m.put("then", r.then());
            m.put("within", text(r.within()));
            m.put("absent", r.absent());
            m.put("absent_for", text(r.absentFor()));
            m.put("contiguity", r.contiguity().wireName());
            m.put("scope", r.scope());
        } else if (rule instanceof RunRule r) {
            m.put("scope", r.scope());
            m.put("event_type", r.eventType());
            m.put("count", r.count());
            m.put("within", text(r.within()));
            m.put("contiguity", r.contiguity().wireName());
        } else if (rule instanceof JoinRule r) {
            m.put("left", r.left());
            m.put("right", r.right());
            m.put("within", text(r.within()));
            m.put("field", r.field());
            m.put("relation", r.relation() == null ? null : r.relation().wireName());
        } else if (rule instanceof RiskRule r) {
            m.put("above", r.above());
        }
        return m;
    }

    /**
     * Reads a form into a rule set named {@code version}, and validates it ({@link RuleSetValidator}).
     *
     * @throws InvalidRuleSetException with every problem of the form, or (when the form reads) of the set
     */
    public static RuleSet read(Object form, String version) {
        List<RuleProblem> problems = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        if (!(form instanceof Map<?, ?> top)) {
            throw new InvalidRuleSetException(List.of(new RuleProblem(null, "body", "must be a JSON object with \"patterns\"")));
        }
        Object patterns = top.get("patterns");
        if (!(patterns instanceof List<?> list)) {
            throw new InvalidRuleSetException(List.of(new RuleProblem(null, "patterns", "must be a JSON array of rules")));
        }
        for (int i = 0; i < list.size(); i++) {
            Rule rule = rule(list.get(i), i, problems);
            if (rule != null) {
                rules.add(rule);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRuleSetException(problems);
        }
        return RuleSetValidator.requireValid(new RuleSet(version, rules));
    }

    private static Rule rule(Object item, int index, List<RuleProblem> problems) {
        if (!(item instanceof Map<?, ?> raw)) {
            problems.add(new RuleProblem("#" + index, "rule", "must be a JSON object"));
            return null;
        }
        Fields f = new Fields(raw, index, problems);
        String kindText = f.text("kind");
        if (kindText == null) {
            f.problem("kind", "is required (" + String.join(", ", kinds()) + ")");
            return null;
        }
        RuleKind kind = RuleKind.fromWireName(kindText).orElse(null);
        if (kind == null) {
            f.problem("kind", "must be one of " + String.join(", ", kinds()) + ", was '" + kindText + "'");
            return null;
        }
        String name = f.text("name");
        String severityText = f.text("severity");
        Severity severity = severityText == null ? null : Severity.fromWireName(severityText).orElse(null);
        if (severityText != null && severity == null) {
            f.problem("severity", "must be one of info, watch, warning, critical, was '" + severityText + "'");
        }
        BigDecimal confidence = f.decimal("confidence", false);
        Rule rule = switch (kind) {
            case THRESHOLD -> new ThresholdRule(name, severity, confidence, f.text("event_type"), f.where(),
                    f.integer("count", null), f.duration("window"));
            case SAME_VALUE -> new SameValueRule(name, severity, confidence, f.text("event_type"), f.where(), f.texts("fields"),
                    f.integer("count", 2), f.duration("window"));
            case HISTORY_RATIO -> new HistoryRatioRule(name, severity, confidence, f.text("event_type"), f.where(),
                    f.text("field"), f.decimal("factor", true), f.integer("min_earlier", null));
            case DROP -> new DropRule(name, severity, confidence, f.text("event_type"), f.where(), f.text("field"),
                    f.duration("window"), f.decimal("drop_above", true));
            case SEQUENCE -> new SequenceRule(name, severity, confidence, f.text("first"), f.text("then"), f.duration("within"),
                    f.text("absent"), f.optionalDuration("absent_for"), f.contiguity(), f.text("scope"));
            case RUN -> new RunRule(name, severity, confidence, f.text("scope"), f.text("event_type"), f.integer("count", null),
                    f.duration("within"), f.contiguity());
            case JOIN -> new JoinRule(name, severity, confidence, f.text("left"), f.text("right"), f.duration("within"),
                    f.text("field"), f.relation());
            case RISK -> new RiskRule(name, severity, confidence, f.decimal("above", true));
        };
        f.refuseUnknown(write(rule).keySet());
        return rule;
    }

    private static List<String> kinds() {
        return java.util.Arrays.stream(RuleKind.values()).map(RuleKind::wireName).toList();
    }

    private static List<Map<String, Object>> where(List<DataCondition> conditions) {
        return conditions.stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("field", c.field());
            m.put("op", c.op() == null ? null : c.op().wireName());
            m.put("value", c.value());
            return m;
        }).toList();
    }

    private static String text(Duration d) {
        return d == null ? null : d.toString();
    }

    /** Parses ISO-8601 ({@code PT10M}) or the configuration's shorthand ({@code 10m}); null when neither. */
    static Duration parseDuration(String text) {
        String t = text.strip();
        Matcher m = SHORTHAND.matcher(t);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** One pattern's raw fields, read with problems named after the rule and the wire key. */
    private static final class Fields {
        private final Map<?, ?> raw;
        private final String rule;
        private final List<RuleProblem> problems;

        Fields(Map<?, ?> raw, int index, List<RuleProblem> problems) {
            this.raw = raw;
            Object name = raw.get("name");
            this.rule = name instanceof String s && !s.isBlank() ? s : "#" + index;
            this.problems = problems;
        }

        void problem(String field, String reason) {
            problems.add(new RuleProblem(rule, field, reason));
        }

        String text(String key) {
            Object v = raw.get(key);
            if (v == null || v instanceof String) {
                return (String) v;
            }
            problem(key, "must be a string, was " + v);
            return null;
        }

        List<String> texts(String key) {
            Object v = raw.get(key);
            if (v == null) {
                return null;
            }
            if (v instanceof List<?> list && list.stream().allMatch(x -> x == null || x instanceof String)) {
                return list.stream().map(x -> (String) x).toList();
            }
            problem(key, "must be an array of strings, was " + v);
            return null;
        }

        /** A whole number; {@code otherwise} when absent (null: required). Answers 0 after a problem. */
        int integer(String key, Integer otherwise) {
            Object v = raw.get(key);
            if (v == null) {
                if (otherwise == null) {
                    problem(key, "is required for this kind of rule");
                    return 0;
                }
                return otherwise;
            }
            if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof BigInteger) {
                long n = ((Number) v).longValue();
                if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
                    return (int) n;
                }
            }
            problem(key, "must be a whole number, was " + v);
            return 0;
        }

        BigDecimal decimal(String key, boolean required) {
            Object v = raw.get(key);
            if (v == null) {
                if (required) {
                    problem(key, "is required for this kind of rule");
                }
                return null;
            }
            if (v instanceof Number n) {
                return new BigDecimal(n.toString());
            }
            problem(key, "must be a number, was " + v);
            return null;
        }

        Duration duration(String key) {
            Object v = raw.get(key);
            if (v == null) {
                problem(key, "is required for this kind of rule");
                return null;
            }
            return readDuration(key, v);
        }

        Duration optionalDuration(String key) {
            Object v = raw.get(key);
            return v == null ? null : readDuration(key, v);
        }

        private Duration readDuration(String key, Object v) {
            Duration d = v instanceof String s ? parseDuration(s) : null;
            if (d == null) {
                problem(key, "must be a duration such as \"PT10M\" or \"10m\", was " + v);
            }
            return d;
        }

        Contiguity contiguity() {
            String text = text("contiguity");
            if (text == null) {
                return null;
            }
            Contiguity c = Contiguity.fromWireName(text).orElse(null);
            if (c == null) {
                problem("contiguity", "must be strict or relaxed, was '" + text + "'");
            }
            return c;
        }

        JoinRule.Relation relation() {
            String text = text("relation");
            if (text == null) {
                problem("relation", "is required for this kind of rule (differ or equal)");
                return null;
            }
            JoinRule.Relation r = JoinRule.Relation.fromWireName(text).orElse(null);
            if (r == null) {
                problem("relation", "must be differ or equal, was '" + text + "'");
            }
            return r;
        }

        List<DataCondition> where() {
            Object v = raw.get("where");
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof List<?> list)) {
                problem("where", "must be an array of conditions");
                return List.of();
            }
            List<DataCondition> conditions = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                String at = "where[" + i + "]";
                if (!(list.get(i) instanceof Map<?, ?> c)) {
                    problem(at, "must be an object {field, op, value}");
                    continue;
                }
                Object field = c.get("field");
                Object op = c.get("op");
                Object value = c.get("value");
                DataCondition.Op parsed = op instanceof String s ? DataCondition.Op.fromWireName(s).orElse(null) : null;
                if (op != null && parsed == null) {
                    problem(at + ".op", "must be one of equals, not_equals, gt, gte, lt, lte, present, absent, was '" + op + "'");
                }
                if (field != null && !(field instanceof String)) {
                    problem(at + ".field", "must be a string, was " + field);
                }
                // values compare as text or numerically (DataCondition), so a JSON number is taken as its text
                String valueText = value == null ? null : value instanceof String s ? s : value.toString();
                conditions.add(new DataCondition(field instanceof String s ? s : null, parsed, valueText));
            }
            return conditions;
        }

        void refuseUnknown(Set<String> known) {
            for (Object key : raw.keySet()) {
                if (!known.contains(String.valueOf(key)) && !COMMON.contains(String.valueOf(key))) {
                    problem(String.valueOf(key), "is not a field of this kind of rule (fields: " + String.join(", ", known) + ")");
                }
            }
        }
    }
}
