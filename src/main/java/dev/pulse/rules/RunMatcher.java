package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import dev.pulse.stream.time.EpochMillis;
import java.time.Duration;
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
    /**
     * The timeline kinds of the events that can be members: others are passed over on the timeline's arrays without
     * loading them. A run looks back through every event of its span (seven days for repeated_email_bounces), and
     * reading each event object there was most of what the rule cost.
     */
    private final long memberKinds;

    RunMatcher(RunRule rule) {
        this.rule = rule;
        this.type = TypePattern.of(rule.eventType());
        this.scope = TypePattern.of(rule.scope());
        this.strict = rule.contiguity() == Contiguity.STRICT;
        this.within = rule.within();
        this.memberKinds = strict ? scope.kinds() : type.kinds();
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
        // e is after `until` exactly when its whole millisecond is after floor(until)
        long untilMs = EpochMillis.floor(x.eventTimestamp().plus(within));
        int at = timeline.search(x);
        int members = 0;
        for (int j = at >= 0 ? at + 1 : -at - 1, n = timeline.size(); j < n; j++) {
            if (members >= rule.count() - 1 || timeline.millisAt(j) > untilMs) {
                break;
            }
            if ((memberKinds >>> timeline.kindAt(j) & 1) == 0) {
                continue;
            }
            Event e = timeline.eventAt(j);
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
        // e is before `from` exactly when its whole millisecond is before ceil(from)
        long fromMs = EpochMillis.ceil(anchor.eventTimestamp().minus(within));
        List<Event> run = new ArrayList<>(rule.count());
        run.add(anchor);
        int at = timeline.search(anchor);
        for (int j = (at >= 0 ? at : -at - 1) - 1; j >= 0; j--) {
            if (run.size() >= rule.count()) {
                break;
            }
            if (timeline.millisAt(j) < fromMs) {
                return null;   // the run would span more than `within`
            }
            if ((memberKinds >>> timeline.kindAt(j) & 1) == 0) {
                continue;
            }
            Event e = timeline.eventAt(j);
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
