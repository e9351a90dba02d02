package dev.pulse.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One family's timeline and rules, fed like the pipeline feeds them: each event is added to the timeline, then
 * evaluated. Keeps the active detections the way a projection does (Emitted/Updated put, Retracted removes),
 * and checks that every change is a consistent diff: no second Emitted of an active id, no Updated or Retracted
 * of an id that is not active, no Updated without a difference.
 */
final class RulesHarness {

    static final String FAMILY = "family-1";

    final FamilyTimeline timeline = new FamilyTimeline(FAMILY);
    final FamilyRules rules;
    private final Map<String, Detection> active = new TreeMap<>();
    private Instant watermark = Instant.MIN;

    RulesHarness(RuleSet ruleSet) {
        this.rules = CompiledRules.compile(ruleSet).newFamily(FAMILY);
    }

    RulesHarness(FamilyRules rules) {
        this.rules = rules;
    }

    static RulesHarness defaults() {
        return new RulesHarness(DefaultRules.spec());
    }

    static RulesHarness of(Rule... rules) {
        return new RulesHarness(new RuleSet("test", List.of(rules)));
    }

    /** Adds and evaluates each event in the order given; answers all changes. */
    List<DetectionChange> arrive(Event... events) {
        List<DetectionChange> all = new ArrayList<>();
        for (Event e : events) {
            assertThat(timeline.add(e)).as("distinct event %s", e.eventId()).isTrue();
            all.addAll(apply(rules.onEvent(timeline, e, watermark)));
        }
        return all;
    }

    List<DetectionChange> watermark(Instant w) {
        watermark = w;
        return apply(rules.onWatermark(timeline, w));
    }

    List<DetectionChange> watermark(String iso) {
        return watermark(Instant.parse(iso));
    }

    Instant currentWatermark() {
        return watermark;
    }

    Map<String, Detection> active() {
        return Map.copyOf(active);
    }

    List<Detection> active(String pattern) {
        return active.values().stream().filter(d -> d.pattern().equals(pattern)).toList();
    }

    private List<DetectionChange> apply(List<DetectionChange> changes) {
        for (DetectionChange change : changes) {
            Detection d = change.detection();
            assertThat(d.familyId()).isEqualTo(FAMILY);
            assertThat(d.detectionId()).isEqualTo(DetectionId.of(d.pattern(), d.familyId(), d.anchor()));
            if (change instanceof DetectionChange.Emitted) {
                assertThat(active).as("emitted twice: %s", d).doesNotContainKey(d.detectionId());
                active.put(d.detectionId(), d);
            } else if (change instanceof DetectionChange.Updated) {
                assertThat(active).as("updated but not active: %s", d).containsKey(d.detectionId());
                assertThat(active.get(d.detectionId())).as("update without a difference").isNotEqualTo(d);
                active.put(d.detectionId(), d);
            } else {
                assertThat(active).as("retracted but not active: %s", d).containsEntry(d.detectionId(), d);
                active.remove(d.detectionId());
            }
        }
        return changes;
    }

    /** The ids of the matched events, in order. */
    static List<String> matchedIds(Detection d) {
        return d.matchedEvents().stream().map(MatchedEvent::eventId).toList();
    }

    static List<DetectionChange> ofPattern(List<DetectionChange> changes, String pattern) {
        return changes.stream().filter(c -> c.detection().pattern().equals(pattern)).toList();
    }
}
