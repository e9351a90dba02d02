package dev.pulse.rules;

import java.util.List;
import java.util.stream.Collectors;

/** A rule set was refused (SPEC §4.1): every problem found, each naming the rule and the field. */
public final class InvalidRuleSetException extends IllegalArgumentException {

    private final transient List<RuleProblem> problems;

    public InvalidRuleSetException(List<RuleProblem> problems) {
        super(problems.stream().map(RuleProblem::message).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<RuleProblem> problems() {
        return problems;
    }
}
