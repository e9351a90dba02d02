package dev.pulse.rules;

/**
 * What a rule's evaluation changed, as a diff against what it emitted before (CONVENTIONS §3.7):
 * a new detection, an update in place of an emitted one (same id, recomputed fields), or the
 * retraction of one that is no longer true (SPEC §7).
 */
public sealed interface DetectionChange {

    Detection detection();

    record Emitted(Detection detection) implements DetectionChange {
    }

    record Updated(Detection detection) implements DetectionChange {
    }

    record Retracted(Detection detection) implements DetectionChange {
    }
}
