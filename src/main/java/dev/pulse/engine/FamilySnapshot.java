package dev.pulse.engine;

import dev.pulse.event.Event;
import dev.pulse.family.AlertHistory;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The persisted form of one family's engine state: its retained events and the figures that outlive
 * them. Enough to rebuild the family exactly after a restart or a reassignment.
 */
public record FamilySnapshot(String familyId,
                             List<Event> events,
                             long eventsProcessed,
                             Instant lastEventTimestamp,
                             AlertHistory.Resume carry,
                             Instant frozenBefore) {

    public FamilySnapshot {
        Objects.requireNonNull(familyId, "familyId");
        events = List.copyOf(events);
        Objects.requireNonNull(carry, "carry");
        Objects.requireNonNull(frozenBefore, "frozenBefore");
    }
}
