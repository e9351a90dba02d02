package dev.pulse.engine;

import dev.pulse.event.Event;
import dev.pulse.family.AlertHistory;
import dev.pulse.stream.operator.FamilyTimeline;
import java.time.Instant;

/** Everything a partition engine keeps for one family. Mutable, owned by one engine. */
final class FamilySlot {

    final FamilyTimeline timeline;
    final EngagementAlerts engagementAlerts;
    long eventsProcessed;
    Instant lastEventTimestamp;
    AlertHistory.Start start = AlertHistory.Start.NONE;
    /** Level-history steps before this instant rest on pruned events and are no longer recomputed. */
    Instant frozenBefore = Instant.MIN;

    FamilySlot(String familyId) {
        this.timeline = new FamilyTimeline(familyId);
        this.engagementAlerts = new EngagementAlerts(familyId);
    }

    void add(Event event) {
        timeline.add(event);
        eventsProcessed++;
        if (lastEventTimestamp == null || event.eventTimestamp().isAfter(lastEventTimestamp)) {
            lastEventTimestamp = event.eventTimestamp();
        }
    }
}
