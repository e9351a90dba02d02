package dev.pulse.rules;

import dev.pulse.event.EventType;
import dev.pulse.stream.operator.FamilyTimeline;

/** A rule's event type: an exact type, a prefix ending in {@code *}, or {@code *} for every type. */
final class TypePattern {

    private final String text;
    private final String prefix;   // null: exact match on text

    private TypePattern(String text) {
        this.text = text;
        this.prefix = text.endsWith("*") ? text.substring(0, text.length() - 1) : null;
    }

    static TypePattern of(String text) {
        return new TypePattern(text);
    }

    boolean matches(String eventType) {
        return prefix == null ? text.equals(eventType) : eventType.startsWith(prefix);
    }

    /**
     * The timeline kinds ({@link FamilyTimeline#kindAt}) of the events this pattern can match, as bits: the known
     * types it matches, and {@link FamilyTimeline#OTHER_KIND} unless it names one known type exactly (an unknown
     * type's name is never a known one's).
     */
    long kinds() {
        long kinds = 0;
        for (EventType type : EventType.values()) {
            if (matches(type.wireName())) {
                kinds |= 1L << FamilyTimeline.kindOf(type);
            }
        }
        boolean oneKnownType = prefix == null && EventType.fromWireName(text).isPresent();
        return oneKnownType ? kinds : kinds | 1L << FamilyTimeline.OTHER_KIND;
    }

    /** Whether every type {@code other} matches is matched by this pattern too. */
    boolean covers(String other) {
        String literal = other.endsWith("*") ? other.substring(0, other.length() - 1) : other;
        return prefix == null ? text.equals(other) : literal.startsWith(prefix);
    }

    @Override
    public String toString() {
        return text;
    }
}
