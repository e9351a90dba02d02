package dev.pulse.stream.window;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration's duration shorthand: a whole number and one unit, {@code ms}, {@code s},
 * {@code m}, {@code h} or {@code d} ({@code 500ms}, {@code 30s}, {@code 1m}, {@code 1h}, {@code 7d}),
 * as Spring's simple duration style writes them. {@link #format} picks the largest unit that divides
 * the duration exactly, so {@code 60m} formats as {@code 1h}.
 */
final class DurationShorthand {

    private static final Pattern SHORTHAND = Pattern.compile("(\\d{1,15})(ms|s|m|h|d)");
    private static final long[] UNIT_MS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    private static final String[] UNIT_NAMES = {"d", "h", "m", "s", "ms"};

    private DurationShorthand() {
    }

    /** @throws IllegalArgumentException naming the text and the expected form */
    static Duration parse(String text) {
        Matcher matcher = SHORTHAND.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "\"" + text + "\" must be a whole number and a unit ms, s, m, h or d, e.g. 30s, 1m, 1h");
        }
        long amount = Long.parseLong(matcher.group(1)); // at most 15 digits: no overflow below
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** The shortest shorthand of a positive whole number of milliseconds. */
    static String format(Duration duration) {
        long ms = duration.toMillis();
        for (int i = 0; i < UNIT_MS.length; i++) {
            if (ms % UNIT_MS[i] == 0) {
                return ms / UNIT_MS[i] + UNIT_NAMES[i];
            }
        }
        throw new AssertionError("every millisecond count divides by 1 ms");
    }

    /** Rejects what an epoch-aligned window in milliseconds cannot use: zero, negative, sub-millisecond. */
    static Duration requirePositiveMillis(Duration duration, String what) {
        if (duration == null) {
            throw new NullPointerException(what);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(what + " must be > 0, was " + duration);
        }
        if (duration.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException(what + " must be a whole number of milliseconds, was " + duration);
        }
        return duration;
    }
}
