package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@link SequenceRule} without an absence: anchor o holds when its r exists. An event x that can follow can only
 * change anchors o with t in {@code [t(x) − within, t(x)]} before it: an earlier r replaces r (update), a
 * strict-scope event between o and r breaks the sequence (retraction).
 */
final class SequenceMatcher extends AnchoredMatcher {

    private final SequenceRule rule;
    private final SequenceShape shape;

    SequenceMatcher(SequenceRule rule) {
        this.rule = rule;
        this.shape = new SequenceShape(rule);
    }

    @Override
    public Rule rule() {
        return rule;
    }

    @Override
    boolean isAnchor(Event e) {
        return shape.isFirst(e);
    }

    @Override
    List<Event> affectedBy(FamilyTimeline timeline, Event x) {
        List<Event> anchors = new ArrayList<>();
        if (shape.canFollow(x)) {
            Instant from = x.eventTimestamp().minus(shape.within);
            for (Event e : timeline.before(x)) {
                if (e.eventTimestamp().isBefore(from)) {
                    break;
                }
                if (shape.isFirst(e)) {
                    anchors.add(e);
                }
            }
            Collections.reverse(anchors);
        }
        if (shape.isFirst(x)) {
            anchors.add(x);
        }
        return anchors;
    }

    @Override
    Found evaluate(FamilyTimeline timeline, Event o) {
        Event r = shape.firstThen(timeline, o);
        return r == null ? null : new Found(List.of(o, r), r.eventTimestamp(), Map.of());
    }
}
