package dev.pulse.engine;

import dev.pulse.family.AlertHistory;
import dev.pulse.rules.FamilyRulesState;
import dev.pulse.stream.window.WindowSnapshot;
import java.time.Instant;
import java.util.Objects;

/**
 * A family's engine state without its retained events: the figures, carry, rule state and windows that a
 * checkpoint rewrites whole whenever the family changes. Its size does not grow with the family's history
 * (the carry holds at most the scores of one short range before the pruning horizon), which is why the
 * retained events are stored apart, one by one, as they come and go ({@link EngineOutput#retained()},
 * {@link EngineOutput#pruned()}). With those events, a {@link FamilySnapshot}.
 *
 * @param asOf    the stream time the family was last computed at (null if never)
 * @param windows the family's open counter windows, or null when it has none
 */
public record FamilyHead(String familyId,
                         long eventsProcessed,
                         Instant lastEventTimestamp,
                         AlertHistory.Resume carry,
                         Instant frozenBefore,
                         Instant asOf,
                         FamilyRulesState rules,
                         WindowSnapshot windows) {

    public FamilyHead {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(carry, "carry");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(frozenBefore, "frozenBefore");
    }
}
