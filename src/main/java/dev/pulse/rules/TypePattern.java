package dev.pulse.rules;

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
