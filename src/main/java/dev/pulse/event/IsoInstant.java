package dev.pulse.event;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;

/**
 * The common form of an event's timestamp read without {@code java.time}'s parser: {@code yyyy-MM-ddTHH:mm:ss},
 * an optional fraction of 1 to 9 digits, then {@code Z} or {@code ±HH:mm}. Parsing it through
 * {@code DateTimeFormatter.ISO_ZONED_DATE_TIME} built a field map, a parsed-state object and a {@code ZonedDateTime}
 * for every event: a tenth of everything a backfill allocated. Anything else (a zone suffix, a lower-case {@code t},
 * seconds left out, an out-of-range field) answers null, and the caller parses it the full way, which accepts or
 * refuses it with its own message; so the answer is the full parser's whenever there is one (IsoInstantTest compares
 * them over generated and mutated strings).
 */
final class IsoInstant {

    private static final int SECONDS_PER_DAY = 86_400;

    private IsoInstant() {
    }

    /** The instant, truncated to milliseconds; null when {@code text} is not in the common form or not a valid one. */
    static Instant parseMillis(String text) {
        int n = text.length();
        if (n < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > lengthOfMonth(year, month)) {
            return null;
        }
        int i = 19;
        int millis = 0;
        if (text.charAt(i) == '.') {
            int start = ++i;
            while (i < n && isDigit(text.charAt(i))) {
                if (i - start < 3) {
                    millis = millis * 10 + (text.charAt(i) - '0');
                }
                i++;
            }
            int count = i - start;
            if (count < 1 || count > 9) {
                return null;
            }
            for (int k = count; k < 3; k++) {
                millis *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && text.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (text.charAt(i) == '+' || text.charAt(i) == '-') && text.charAt(i + 3) == ':') {
            int offsetHours = digits(text, i + 1, 2);
            int offsetMinutes = digits(text, i + 4, 2);
            if (offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0 || offsetMinutes > 59 || offsetHours == 18 && offsetMinutes > 0) {
                return null;
            }
            offsetSeconds = (text.charAt(i) == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
        } else {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        long epochSecond = epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, millis * 1_000_000L);
    }

    /** The value of {@code count} decimal digits at {@code from}, or −1 when one of them is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> Year.isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
