package dev.pulse.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IsoInstantTest {

    /** What the validator read before: the full parser, truncated to milliseconds; null where it refuses. */
    private static Instant full(String text) {
        try {
            return ZonedDateTime.parse(text, DateTimeFormatter.ISO_ZONED_DATE_TIME).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @ParameterizedTest
    @CsvSource({
            "2026-11-23T09:10:00Z, 2026-11-23T09:10:00Z",
            "2026-11-23T09:10:00.1Z, 2026-11-23T09:10:00.100Z",
            "2026-11-23T09:10:00.123456789Z, 2026-11-23T09:10:00.123Z",
            "2026-11-23T09:10:00.999999999+01:00, 2026-11-23T08:10:00.999Z",
            "2024-02-29T23:59:59-00:00, 2024-02-29T23:59:59Z",
            "2000-02-29T00:00:00+18:00, 2000-02-28T06:00:00Z",
            "0001-01-01T00:00:00-18:00, 0001-01-01T18:00:00Z",
            "9999-12-31T23:59:59.999Z, 9999-12-31T23:59:59.999Z",
            "1969-12-31T23:59:59.999Z, 1969-12-31T23:59:59.999Z",
    })
    void readsTheCommonFormAsTheFullParserDoes(String text, String expected) {
        assertThat(IsoInstant.parseMillis(text)).isEqualTo(Instant.parse(expected)).isEqualTo(full(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2026-11-23T09:10Z", "2026-11-23t09:10:00Z", "2026-11-23T09:10:00z", "2026-11-23T09:10:00Z[Europe/Paris]",
            "2026-11-23T09:10:00+01:00[Europe/Paris]", "+12026-11-23T09:10:00Z", "2026-11-23T09:10:00+0100",
            "2026-11-23T09:10:00+01:00:30", "2026-11-23T09:10:00.Z", "2026-11-23T09:10:00.1234567890Z", "2026-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-11-00T00:00:00Z",
            "2026-11-23T24:00:00Z", "2026-11-23T23:60:00Z", "2026-11-23T23:59:60Z", "2026-11-23T09:10:00+18:01",
            "2026-11-23T09:10:00+19:00", "2026-11-23T09:10:00+01:60", "2026-11-23T09:10:00", "2026-11-23 09:10:00Z",
            "2026-11-23T09:10:00,5Z", "2O26-11-23T09:10:00Z", "2026-11-23T09:10:00ZZ", "2026-11-23T09:10:00+01:00Z",
            "٢٠٢٦-11-23T09:10:00Z"})
    void leavesEveryOtherFormToTheFullParser(String text) {
        assertThat(IsoInstant.parseMillis(text)).as(text).isNull();
    }

    @Test
    void neverDisagreesWithTheFullParserOnGeneratedAndMutatedTimestamps() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String alphabet = "0123456789-:T.Z+zt ";
        int fast = 0;
        for (int i = 0; i < 300_000; i++) {
            String text = canonical(random);
            if (random.nextInt(3) == 0) {
                StringBuilder mutated = new StringBuilder(text);
                int edits = 1 + random.nextInt(2);
                for (int e = 0; e < edits && mutated.length() > 0; e++) {
                    int at = random.nextInt(mutated.length());
                    switch (random.nextInt(3)) {
                        case 0 -> mutated.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        case 1 -> mutated.deleteCharAt(at);
                        default -> mutated.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                }
                text = mutated.toString();
            }
            Instant parsed = IsoInstant.parseMillis(text);
            if (parsed != null) {
                fast++;
                assertThat(parsed).as("'%s' (seed %d)", text, seed).isEqualTo(full(text));
            }
        }
        assertThat(fast).as("most generated timestamps take the fast way (seed %d)", seed).isGreaterThan(100_000);
    }

    /** A timestamp of the common form with fields mostly in range, sometimes just past it. */
    private static String canonical(Random random) {
        StringBuilder text = new StringBuilder();
        text.append(String.format("%04d-%02d-%02dT%02d:%02d:%02d", random.nextInt(10_000), random.nextInt(14), random.nextInt(33),
                random.nextInt(25), random.nextInt(61), random.nextInt(61)));
        if (random.nextBoolean()) {
            int digits = 1 + random.nextInt(10);
            text.append('.');
            for (int d = 0; d < digits; d++) {
                text.append((char) ('0' + random.nextInt(10)));
            }
        }
        if (random.nextBoolean()) {
            text.append('Z');
        } else {
            text.append(random.nextBoolean() ? '+' : '-').append(String.format("%02d:%02d", random.nextInt(20), random.nextInt(61)));
        }
        return text.toString();
    }
}
