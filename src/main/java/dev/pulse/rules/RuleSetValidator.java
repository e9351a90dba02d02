package dev.pulse.rules;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Judges a {@link RuleSet} before it is used (SPEC §4.1: a bad rule set is refused with the reason, and the
 * old one stays). Answers every problem, each naming the rule and the field, so one round trip fixes a set.
 * Field names are the record components' ({@code eventType}, {@code absentFor}).
 * <p>
 * Refused: an empty version; a rule that is null, has no kind-specific value where one is required, a name
 * that is empty, malformed, reserved or used twice; no severity; a confidence outside {@code (0, 1]}; an empty or
 * malformed event type (a type Pulse does not know is fine); a window or duration shorter than 1 ms; a count
 * below 1 (below 2 for a same-value repeat, which needs another event); a negative drop limit; a non-positive
 * factor; a {@code where} condition without a field or op, or whose value does not fit the op; a join without
 * a field or a relation; a risk threshold outside {@code (0, 1)}. Whether a risk model is configured is judged
 * where the model is known ({@code config}, {@code api}): a rule set is data, valid or not by itself.
 */
public final class RuleSetValidator {

    /** Pattern names of detections that do not come from a rule of this form ({@code engine} owns them). */
    public static final Set<String> RESERVED_NAMES = Set.of("engagement_alert");

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,99}");
    /** SPEC §1.1 event types, optionally ending in {@code *} (a prefix), or {@code *} alone. */
    private static final Pattern TYPE = Pattern.compile("\\*|[A-Za-z][A-Za-z0-9_.]{0,99}\\*?");
    private static final Duration SMALLEST = Duration.ofMillis(1);

    private RuleSetValidator() {
    }

    /** Every problem of the set; empty when it is valid. */
    public static List<RuleProblem> validate(RuleSet set) {
        List<RuleProblem> problems = new ArrayList<>();
        if (set == null) {
            problems.add(new RuleProblem(null, "rules", "are required"));
            return problems;
        }
        if (set.version() == null || set.version().isBlank()) {
            problems.add(new RuleProblem(null, "version", "must not be empty"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < set.rules().size(); i++) {
            Rule rule = set.rules().get(i);
            if (rule == null) {
                problems.add(new RuleProblem("#" + i, "rule", "must not be null"));
                continue;
            }
            Check check = new Check(rule.name() == null || rule.name().isBlank() ? "#" + i : rule.name(), problems);
            if (rule.name() == null || rule.name().isBlank()) {
                check.problem("name", "must not be empty");
            } else if (!NAME.matcher(rule.name()).matches()) {
                check.problem("name", "must be a letter then up to 99 letters, digits, '_', '.' or '-', was '" + rule.name() + "'");
            } else if (RESERVED_NAMES.contains(rule.name())) {
                check.problem("name", "is reserved for a built-in pattern");
            } else if (!seen.add(rule.name())) {
                check.problem("name", "is used by more than one rule");
            }
            if (rule.severity() == null) {
                check.problem("severity", "is required (info, watch, warning or critical)");
            }
            if (rule.confidence().signum() <= 0 || rule.confidence().compareTo(BigDecimal.ONE) > 0) {
                check.problem("confidence", "must be in (0, 1], was " + rule.confidence().toPlainString());
            }
            kindSpecific(rule, check);
        }
        return problems;
    }

    /**
     * The problems of a set that is to be used without a risk model (SPEC §3.7): each risk rule, which could never
     * fire. Judged apart from {@link #validate}, by whoever knows whether a model is configured; empty when the set
     * has no risk rule.
     */
    public static List<RuleProblem> withoutRiskModel(RuleSet set) {
        List<RuleProblem> problems = new ArrayList<>();
        for (Rule rule : set.rules()) {
            if (rule instanceof RiskRule) {
                problems.add(new RuleProblem(rule.name(), "kind", "risk needs a risk model, and none is configured "
                        + "(pulse.risk.model-file is empty), so this rule could never fire"));
            }
        }
        return problems;
    }

    /** The set itself when valid. */
    public static RuleSet requireValid(RuleSet set) {
        List<RuleProblem> problems = validate(set);
        if (!problems.isEmpty()) {
            throw new InvalidRuleSetException(problems);
        }
        return set;
    }

    private static void kindSpecific(Rule rule, Check check) {
        if (rule instanceof ThresholdRule r) {
            check.type("eventType", r.eventType());
            check.where(r.where());
            check.atLeast("count", r.count(), 1);
            check.duration("window", r.window());
        } else if (rule instanceof SameValueRule r) {
            check.type("eventType", r.eventType());
            check.where(r.where());
            check.fields(r.fields());
            check.atLeast("count", r.count(), 2);
            check.duration("window", r.window());
        } else if (rule instanceof HistoryRatioRule r) {
            check.type("eventType", r.eventType());
            check.where(r.where());
            check.field("field", r.field());
            if (r.factor() == null || r.factor().signum() <= 0) {
                check.problem("factor", "must be positive, was " + (r.factor() == null ? "missing" : r.factor().toPlainString()));
            }
            check.atLeast("minEarlier", r.minEarlier(), 1);
        } else if (rule instanceof DropRule r) {
            check.type("eventType", r.eventType());
            check.where(r.where());
            check.field("field", r.field());
            check.duration("window", r.window());
            if (r.dropAbove() == null || r.dropAbove().signum() < 0) {
                check.problem("dropAbove", "must be >= 0, was " + (r.dropAbove() == null ? "missing" : r.dropAbove().toPlainString()));
            }
        } else if (rule instanceof SequenceRule r) {
            check.type("first", r.first());
            boolean thenValid = check.type("then", r.then());
            check.duration("within", r.within());
            boolean scopeValid = check.type("scope", r.scope());
            if (r.absent() != null) {
                check.type("absent", r.absent());
                check.duration("absentFor", r.absentFor());
            } else if (r.absentFor() != null) {
                check.problem("absentFor", "needs 'absent', the type that must not occur");
            }
            if (r.contiguity() == Contiguity.STRICT && thenValid && scopeValid && !TypePattern.of(r.scope()).covers(r.then())) {
                check.problem("then", "'" + r.then() + "' is outside the scope '" + r.scope() + "', so a strict sequence never matches");
            }
        } else if (rule instanceof RunRule r) {
            boolean scopeValid = check.type("scope", r.scope());
            boolean typeValid = check.type("eventType", r.eventType());
            check.atLeast("count", r.count(), 1);
            check.duration("within", r.within());
            if (r.contiguity() == Contiguity.STRICT && typeValid && scopeValid && !TypePattern.of(r.scope()).covers(r.eventType())) {
                check.problem("eventType", "'" + r.eventType() + "' is outside the scope '" + r.scope() + "', so a strict run never matches");
            }
        } else if (rule instanceof JoinRule r) {
            check.type("left", r.left());
            check.type("right", r.right());
            check.duration("within", r.within());
            check.field("field", r.field());
            if (r.relation() == null) {
                check.problem("relation", "is required (differ or equal)");
            }
        } else if (rule instanceof RiskRule r) {
            // A risk score is in [0, 1]: at 0 every family would be above it, at 1 none ever could be.
            if (r.above() == null || r.above().signum() <= 0 || r.above().compareTo(BigDecimal.ONE) >= 0) {
                check.problem("above", "must be in (0, 1), was " + (r.above() == null ? "missing" : r.above().toPlainString()));
            }
        }
    }

    private record Check(String rule, List<RuleProblem> problems) {

        void problem(String field, String reason) {
            problems.add(new RuleProblem(rule, field, reason));
        }

        boolean type(String field, String type) {
            if (type == null || type.isEmpty()) {
                problem(field, "must name an event type, was empty");
                return false;
            }
            if (!TYPE.matcher(type).matches()) {
                problem(field, "must be an event type, a prefix ending in '*', or '*', was '" + type + "'");
                return false;
            }
            return true;
        }

        void field(String name, String field) {
            if (field == null || field.isBlank()) {
                problem(name, "must name an event_data field, was empty");
            }
        }

        void fields(List<String> fields) {
            if (fields.isEmpty()) {
                problem("fields", "must name at least one event_data field");
            }
            Set<String> seen = new HashSet<>();
            for (String f : fields) {
                if (f == null || f.isBlank()) {
                    problem("fields", "must not contain an empty field name");
                } else if (!seen.add(f)) {
                    problem("fields", "names '" + f + "' twice");
                }
            }
        }

        void atLeast(String field, int value, int min) {
            if (value < min) {
                problem(field, "must be >= " + min + ", was " + value);
            }
        }

        void duration(String field, Duration d) {
            if (d == null) {
                problem(field, "is required");
            } else if (d.compareTo(SMALLEST) < 0) {
                problem(field, "must be at least 1ms, was " + d);
            }
        }

        void where(List<DataCondition> where) {
            for (int i = 0; i < where.size(); i++) {
                DataCondition c = where.get(i);
                String at = "where[" + i + "]";
                if (c == null) {
                    problem(at, "must not be null");
                    continue;
                }
                if (c.field() == null || c.field().isBlank()) {
                    problem(at + ".field", "must name an event_data field, was empty");
                }
                if (c.op() == null) {
                    problem(at + ".op", "is required (equals, not_equals, gt, gte, lt, lte, present, absent)");
                    continue;
                }
                if (c.op().needsValue() && c.value() == null) {
                    problem(at + ".value", "is required for " + c.op().wireName());
                } else if (c.op().numeric() && DataValues.parseNumber(c.value()) == null) {
                    problem(at + ".value", "must be a number for " + c.op().wireName() + ", was '" + c.value() + "'");
                } else if (!c.op().needsValue() && c.value() != null) {
                    problem(at + ".value", "must be omitted for " + c.op().wireName());
                }
            }
        }
    }
}
