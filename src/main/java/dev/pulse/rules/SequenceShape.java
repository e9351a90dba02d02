package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import java.time.Duration;
import java.time.Instant;

/** The "o, then the first r within" part of a {@link SequenceRule}, read from the timeline. */
final class SequenceShape {

    final TypePattern first;
    final TypePattern then;
    final TypePattern scope;
    final boolean strict;
    final Duration within;

    SequenceShape(SequenceRule rule) {
        this.first = TypePattern.of(rule.first());
        this.then = TypePattern.of(rule.then());
        this.scope = TypePattern.of(rule.scope());
        this.strict = rule.contiguity() == Contiguity.STRICT;
        this.within = rule.within();
    }

    boolean isFirst(Event e) {
        return first.matches(e.eventType());
    }

    /** Whether {@code x} can change which r follows an earlier o: it is an r, or (strict) it may come between. */
    boolean canFollow(Event x) {
        return then.matches(x.eventType()) || strict && scope.matches(x.eventType());
    }

    /**
     * The first event of type {@code then} (SPEC §7 order) with t in {@code (t(o), t(o) + within]}; when strict,
     * only if it is the next event of the scope after o. Null when there is none.
     */
    Event firstThen(FamilyTimeline timeline, Event o) {
        Instant after = o.eventTimestamp();
        Instant until = after.plus(within);
        for (Event e : timeline.after(o)) {
            if (e.eventTimestamp().isAfter(until)) {
                return null;
            }
            if (strict) {
                if (scope.matches(e.eventType())) {
                    return e.eventTimestamp().isAfter(after) && then.matches(e.eventType()) ? e : null;
                }
            } else if (e.eventTimestamp().isAfter(after) && then.matches(e.eventType())) {
                return e;
            }
        }
        return null;
    }
}
