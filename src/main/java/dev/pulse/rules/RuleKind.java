package dev.pulse.rules;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of the declarative rule form (SPEC §3.3 "rules are data"). The wire name is what a rule
 * set written as YAML or JSON puts under {@code kind}.
 */
public enum RuleKind {
    /** {@link ThresholdRule}: at least N matching events in {@code [t(e) − window, t(e)]}. */
    THRESHOLD("threshold"),
    /** {@link SameValueRule}: at least N matching events with equal value fields in {@code [t(e) − window, t(e)]}. */
    SAME_VALUE("same_value"),
    /** {@link HistoryRatioRule}: a value above factor × the mean of the earlier ones, as known on arrival. */
    HISTORY_RATIO("history_ratio"),
    /** {@link DropRule}: (max value in {@code [t(e) − window, t(e)]}) − value(e) above a limit. */
    DROP("drop"),
    /** {@link SequenceRule}: {@code first} then {@code then} within a duration, optionally followed by an absence. */
    SEQUENCE("sequence"),
    /** {@link RunRule}: the last N events of a scope up to e are all of one type and span at most a duration. */
    RUN("run"),
    /** {@link JoinRule}: an event of {@code left} and one of {@code right} within a duration, a field differing (or equal). */
    JOIN("join"),
    /** {@link RiskRule}: the family's risk score rising above a threshold, in event time (SPEC §3.7). */
    RISK("risk");

    private final String wireName;

    RuleKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<RuleKind> fromWireName(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
    }
}
