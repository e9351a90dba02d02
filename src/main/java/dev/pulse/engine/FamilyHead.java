package dev.pulse.engine;

import dev.pulse.family.AlertHistory;
import dev.pulse.rules.FamilyRulesState;
import dev.pulse.stream.window.WindowSnapshot;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A family's engine state without its retained events: the figures, carry, rule state and windows that a
 * checkpoint rewrites whole whenever the family changes. Its size does not grow with the family's history
 * (the carry holds at most the scores of one short range before the pruning horizon), which is why the
 * retained events are stored apart, one by one, as they come and go ({@link EngineOutput#retained()},
 * {@link EngineOutput#pruned()}). With those events, a {@link FamilySnapshot}.
 *
 * @param asOf    the stream time the family was last computed at (null if never)
 * @param windows the family's open counter windows, or null when it has none
 * @param riskAbove the risk rules whose threshold the family's risk exceeded at the last point before the risk's
 *                  frozen horizon ({@link RiskAlerts}): the one fact of the risk history that pruned events cannot
 *                  give back
 */
public record FamilyHead(String familyId,
                         long eventsProcessed,
                         Instant lastEventTimestamp,
                         AlertHistory.Resume carry,
                         Instant frozenBefore,
                         Instant asOf,
                         FamilyRulesState rules,
                         WindowSnapshot windows,
                         Set<String> riskAbove) {

    public FamilyHead {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(carry, "carry");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(frozenBefore, "frozenBefore");
        riskAbove = Set.copyOf(riskAbove);
    }

    /** A head whose risk was above no threshold at its frozen horizon (as every head stored before risk rules). */
    public FamilyHead(String familyId, long eventsProcessed, Instant lastEventTimestamp, AlertHistory.Resume carry,
                      Instant frozenBefore, Instant asOf, FamilyRulesState rules, WindowSnapshot windows) {
        this(familyId, eventsProcessed, lastEventTimestamp, carry, frozenBefore, asOf, rules, windows, Set.of());
    }
}
