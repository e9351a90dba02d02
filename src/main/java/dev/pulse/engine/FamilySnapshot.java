package dev.pulse.engine;

import dev.pulse.event.Event;
import dev.pulse.family.AlertHistory;
import dev.pulse.rules.FamilyRulesState;
import dev.pulse.stream.window.WindowSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The persisted form of one family's engine state: its retained events and the figures that outlive
 * them. Enough to rebuild the family exactly after a restart or a reassignment.
 *
 * @param asOf the stream time the family was last computed at (null if never): what it had emitted by then
 *             is re-derived silently on restore, anything later is emitted
 * @param rules the rule state that the events alone cannot rebuild (histories "as known on arrival",
 *             absences waiting for their deadline)
 * @param windows the family's open counter windows, or null when it has none
 * @param riskAbove as {@link FamilyHead#riskAbove()}
 */
public record FamilySnapshot(String familyId,
                             List<Event> events,
                             long eventsProcessed,
                             Instant lastEventTimestamp,
                             AlertHistory.Resume carry,
                             Instant frozenBefore,
                             Instant asOf,
                             FamilyRulesState rules,
                             WindowSnapshot windows,
                             Set<String> riskAbove) {

    public FamilySnapshot {
        Objects.requireNonNull(familyId, "familyId");
        events = List.copyOf(events);
        Objects.requireNonNull(carry, "carry");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(frozenBefore, "frozenBefore");
        riskAbove = Set.copyOf(riskAbove);
    }

    /** A snapshot whose risk was above no threshold at its frozen horizon. */
    public FamilySnapshot(String familyId, List<Event> events, long eventsProcessed, Instant lastEventTimestamp,
                          AlertHistory.Resume carry, Instant frozenBefore, Instant asOf, FamilyRulesState rules,
                          WindowSnapshot windows) {
        this(familyId, events, eventsProcessed, lastEventTimestamp, carry, frozenBefore, asOf, rules, windows, Set.of());
    }

    /** The head as stored apart from the events, with the family's retained events (oldest first or in any order). */
    public static FamilySnapshot of(FamilyHead head, List<Event> events) {
        return new FamilySnapshot(head.familyId(), events, head.eventsProcessed(), head.lastEventTimestamp(), head.carry(),
                head.frozenBefore(), head.asOf(), head.rules(), head.windows(), head.riskAbove());
    }

    /** Everything but the retained events. */
    public FamilyHead head() {
        return new FamilyHead(familyId, eventsProcessed, lastEventTimestamp, carry, frozenBefore, asOf, rules, windows, riskAbove);
    }
}
