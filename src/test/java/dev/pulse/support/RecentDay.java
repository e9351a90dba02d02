package dev.pulse.support;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * Event times for integration tests that share a broker with tests posting at the wall clock. Those move every
 * partition's watermark to today, and a rule set's detections freeze one lookback (7 days by default) behind it: an
 * IT posting at a fixed date would stop seeing detections a week after it was written. Two days ago stays well
 * inside that horizon and well behind any watermark, whatever day the suite runs.
 */
public final class RecentDay {

    /** Midnight UTC two days before the suite started. */
    public static final Instant DAY = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2));

    private RecentDay() {
    }

    /** {@link #DAY} at {@code HH:mm:ss[.SSS]}, as ISO text. */
    public static String at(String time) {
        return at(0, time);
    }

    /** {@code days} after {@link #DAY} (negative: before) at {@code HH:mm:ss[.SSS]}, as ISO text. */
    public static String at(int days, String time) {
        return instant(days, time).toString();
    }

    public static Instant instant(int days, String time) {
        return DAY.plus(Duration.ofDays(days)).plus(Duration.between(LocalTime.MIDNIGHT, LocalTime.parse(time)));
    }
}
