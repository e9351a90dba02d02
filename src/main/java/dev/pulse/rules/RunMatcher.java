package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@link RunRule}: for anchor e, the last {@code count} members up to e, where the members are the events of
 * the scope (strict) or of the type (relaxed). An arriving member x can only change the anchors among the
 * next {@code count − 1} members after it, and only those within {@code within} of it: if x lies in an
 * anchor's run and the run held before, the anchor is at most {@code within} after x.
 */
final class RunMatcher extends AnchoredMatcher {

    private final RunRule rule;
    private final TypePattern type;
    private final TypePattern scope;
    private final boolean strict;
    private final Duration within;

    RunMatcher(RunRule rule) {
        this.rule = rule;
        this.type = TypePattern.of(rule.eventType());
        this.scope = TypePattern.of(rule.scope());
        this.strict = rule.contiguity() == Contiguity.STRICT;
        this.within = rule.within();
    }

    @Override
    public Rule rule() {
        return rule;
    }

    private boolean member(Event e) {
        return strict ? scope.matches(e.eventType()) : type.matches(e.eventType());
    }

    @Override
    boolean isAnchor(Event e) {
        return type.matches(e.eventType()) && member(e);
    }

    @Override
    List<Event> affectedBy(FamilyTimeline timeline, Event x) {
        if (!member(x)) {
            return List.of();
        }
        List<Event> anchors = new ArrayList<>();
        if (isAnchor(x)) {
            anchors.add(x);
        }
        Instant until = x.eventTimestamp().plus(within);
        int members = 0;
        for (Event e : timeline.after(x)) {
            if (members >= rule.count() - 1 || e.eventTimestamp().isAfter(until)) {
                break;
            }
            if (member(e)) {
                members++;
                if (isAnchor(e)) {
                    anchors.add(e);
                }
            }
        }
        return anchors;
    }

    @Override
    Found evaluate(FamilyTimeline timeline, Event anchor) {
        Instant from = anchor.eventTimestamp().minus(within);
        List<Event> run = new ArrayList<>(rule.count());
        run.add(anchor);
        for (Event e : timeline.before(anchor)) {
            if (run.size() >= rule.count()) {
                break;
            }
            if (e.eventTimestamp().isBefore(from)) {
                return null;   // the run would span more than `within`
            }
            if (member(e)) {
                if (!type.matches(e.eventType())) {
                    return null;   // strict: another event of the scope breaks the run
                }
                run.add(e);
            }
        }
        if (run.size() < rule.count()) {
            return null;
        }
        Collections.reverse(run);
        return new Found(run, anchor.eventTimestamp(), Map.of("count", run.size()));
    }
}
