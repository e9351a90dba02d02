package dev.pulse.rules;

import dev.pulse.stream.operator.FamilyTimeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A validated {@link RuleSet} compiled to matchers (CONVENTIONS §1 "the compiler to per-family matchers").
 * Immutable and shared: every family's {@link FamilyRules} comes from it. Matchers are shared by all families; the
 * history and absence matchers are made per family once it has state for them ({@link Matcher.Stateful}).
 */
public final class CompiledRules {

    private final RuleSet ruleSet;
    private final SharedMatchers matchers;
    private final Duration lookback;
    private final List<RiskRule> riskRules;

    private CompiledRules(RuleSet ruleSet) {
        this.ruleSet = ruleSet;
        List<Matcher> compiled = new ArrayList<>();
        Duration longest = Duration.ZERO;
        List<RiskRule> risk = new ArrayList<>();
        for (Rule rule : ruleSet.rules()) {
            Matcher matcher = matcher(rule);
            if (matcher != null) {
                compiled.add(matcher);
            }
            if (rule instanceof RiskRule r) {
                risk.add(r);
            }
            Duration reach = reach(rule);
            if (reach.compareTo(longest) > 0) {
                longest = reach;
            }
        }
        this.riskRules = List.copyOf(risk);
        this.lookback = longest;
        this.matchers = new SharedMatchers(compiled.toArray(Matcher[]::new), new FrozenHorizon(longest));
    }

    /** Compiles a rule set; an invalid one is refused with every problem ({@link InvalidRuleSetException}). */
    public static CompiledRules compile(RuleSet ruleSet) {
        return new CompiledRules(RuleSetValidator.requireValid(ruleSet));
    }

    public RuleSet ruleSet() {
        return ruleSet;
    }

    public String version() {
        return ruleSet.version();
    }

    /**
     * The longest event-time distance between an anchor and an event its result reads (window, within, within +
     * absentFor). Anchors older than {@code watermark − lookback} are frozen: no longer re-evaluated.
     */
    public Duration lookback() {
        return lookback;
    }

    /**
     * How far behind the watermark a family's timeline must keep events for the rules to stay exact: an unfrozen
     * anchor reads back one lookback from itself, so twice the lookback.
     */
    public Duration retention() {
        return lookback.multipliedBy(2);
    }

    /**
     * The rules on the risk score, in set order: judged by the partition engine over each family's risk history
     * (SPEC §3.7), like {@code engagement_alert} over the level history, so no {@link FamilyRules} holds them.
     */
    public List<RiskRule> riskRules() {
        return riskRules;
    }

    /** A fresh, empty rule state for a family. */
    public FamilyRules newFamily(String familyId) {
        Objects.requireNonNull(familyId, "familyId");
        return new FamilyRules(matchers, new Ledger(familyId));
    }

    /**
     * A family's rule state after a restart or reassignment: the persisted part from {@code state}, the revisable
     * detections re-derived silently from the restored timeline (they were emitted before the checkpoint).
     */
    public FamilyRules restore(FamilyRulesState state, FamilyTimeline timeline, Instant watermark) {
        if (!state.familyId().equals(timeline.familyId())) {
            throw new IllegalArgumentException("state of " + state.familyId() + " with the timeline of " + timeline.familyId());
        }
        FamilyRules rules = newFamily(state.familyId());
        rules.restore(state, timeline, watermark);
        return rules;
    }

    /** The rule's matcher, shared by every family; for a stateful one, its empty form (see {@link Matcher.Stateful}). */
    private static Matcher matcher(Rule rule) {
        if (rule instanceof ThresholdRule r) {
            return new ThresholdMatcher(r);
        }
        if (rule instanceof SameValueRule r) {
            return new SameValueMatcher(r);
        }
        if (rule instanceof DropRule r) {
            return new DropMatcher(r);
        }
        if (rule instanceof RunRule r) {
            return new RunMatcher(r);
        }
        if (rule instanceof SequenceRule r) {
            if (r.hasAbsence()) {
                // The matcher's state is per family; what it reads of the rule is built once and shared.
                return new AbsenceMatcher(r, new SequenceShape(r), TypePattern.of(r.absent()));
            }
            return new SequenceMatcher(r);
        }
        if (rule instanceof HistoryRatioRule r) {
            return new HistoryRatioMatcher(r, new EventFilter(r.eventType(), r.where()));
        }
        if (rule instanceof JoinRule r) {
            return new JoinMatcher(r);
        }
        if (rule instanceof RiskRule) {
            return null; // judged by the engine from the family's risk history, not per event
        }
        throw new IllegalArgumentException("unknown rule kind " + rule.kind());
    }

    private static Duration reach(Rule rule) {
        if (rule instanceof ThresholdRule r) {
            return r.window();
        }
        if (rule instanceof SameValueRule r) {
            return r.window();
        }
        if (rule instanceof DropRule r) {
            return r.window();
        }
        if (rule instanceof RunRule r) {
            return r.within();
        }
        if (rule instanceof SequenceRule r) {
            return r.hasAbsence() ? r.within().plus(r.absentFor()) : r.within();
        }
        if (rule instanceof JoinRule r) {
            return r.within();
        }
        // history ratio: an aggregate, reads no neighbourhood; risk: the engine keeps the 30-day range it reads
        return Duration.ZERO;
    }
}
