package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import java.time.Instant;

/**
 * One rule compiled for evaluation over a family's timeline (CONVENTIONS §3.7). A stateless matcher is
 * shared by every family; a stateful one (history, pending absences) is made per family.
 * <p>
 * A class, not an interface: every arrival calls each of the rule set's matchers, half a dozen classes at one call
 * site, and a virtual call through the class's table costs less than the interface's table search.
 */
abstract class Matcher {

    abstract Rule rule();

    /** Re-evaluates the anchors whose condition {@code event} (already in the timeline) can change. */
    abstract void onEvent(FamilyTimeline timeline, Event event, Ledger ledger);

    /** Fires what the watermark's passing decides (absences). */
    void onWatermark(FamilyTimeline timeline, Instant watermark, Ledger ledger) {
    }

    /** Records the current result of every unfrozen anchor (after a restore, with the ledger silent). */
    void rederive(FamilyTimeline timeline, Ledger ledger) {
    }

    /**
     * A matcher with per-family state. A family holds one of its own only while it has state: until then the rule
     * set's empty one stands in, shared by every family and never changed (most families never need one, and an
     * empty matcher still costs its object). {@link FamilyRules} asks {@link #changedBy} before each event.
     */
    abstract static class Stateful extends Matcher {

        /** Whether {@link #onEvent} of {@code x} would change this matcher's state, were it empty. */
        abstract boolean changedBy(Event x, Ledger ledger);

        /** A new, empty matcher of the same rule, for one family. */
        abstract Stateful fresh();

        /** Whether this holds nothing that {@link #fresh()} does not: it may then be replaced by the shared one. */
        abstract boolean isEmpty();

        /**
         * {@link #onWatermark} has work only for a watermark after this instant; null: none pending. Only a stateful
         * matcher can have any, and only a family's own (the shared empty one holds nothing): {@link FamilyRules}
         * asks no other, at every arrival.
         */
        Instant wakeUpAfter() {
            return null;
        }
    }
}
