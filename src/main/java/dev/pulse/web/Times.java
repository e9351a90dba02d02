package dev.pulse.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Instants as the pages show them: UTC, to the minute or the second (the {@code <time>} element keeps the exact
 * ISO instant in its {@code datetime} attribute and title). The scripts format live values the same way.
 */
public final class Times {

    static final Times INSTANCE = new Times();

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Times() {
    }

    /** {@code 2026-11-23 09:05}, or empty for null. */
    public String minute(Instant t) {
        return t == null ? "" : MINUTE.format(t);
    }

    /** {@code 2026-11-23 09:05:07}, or empty for null. */
    public String second(Instant t) {
        return t == null ? "" : SECOND.format(t);
    }
}
