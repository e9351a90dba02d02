package dev.pulse.stream.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** SPEC §2: tumbling windows [k·S, (k+1)·S), epoch-aligned, half-open. */
class WindowTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void shouldStartNextWindowWhenTimeIsExactlyAtMultipleOfSize() {
        assertThat(Window.tumbling(Instant.parse("2026-11-23T09:11:00Z"), MINUTE))
                .isEqualTo(window("2026-11-23T09:11:00Z", "2026-11-23T09:12:00Z"));
    }

    @Test
    void shouldStayInPreviousWindowWhenTimeIsOneMillisecondBeforeBoundary() {
        assertThat(Window.tumbling(Instant.parse("2026-11-23T09:10:59.999Z"), MINUTE))
                .isEqualTo(window("2026-11-23T09:10:00Z", "2026-11-23T09:11:00Z"));
    }

    @Test
    void shouldAlignHourWindowToEpochWhenTimeIsMidHour() {
        assertThat(Window.tumbling(Instant.parse("2026-11-23T09:59:59.999Z"), Duration.ofHours(1)))
                .isEqualTo(window("2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z"));
    }

    @Test
    void shouldFloorTowardsPastWhenTimeIsBeforeEpoch() {
        assertThat(Window.tumbling(Instant.parse("1969-12-31T23:59:59.999Z"), MINUTE))
                .isEqualTo(window("1969-12-31T23:59:00Z", "1970-01-01T00:00:00Z"));
    }

    @Test
    void shouldContainStartButNotEndWhenHalfOpen() {
        Window w = window("2026-11-23T09:10:00Z", "2026-11-23T09:11:00Z");

        assertThat(w.contains(w.start())).isTrue();
        assertThat(w.contains(w.end().minusMillis(1))).isTrue();
        assertThat(w.contains(w.end())).isFalse();
        assertThat(w.contains(w.start().minusMillis(1))).isFalse();
    }

    @Test
    void shouldRejectWindowWhenStartIsNotBeforeEnd() {
        Instant t = Instant.parse("2026-11-23T09:10:00Z");
        assertThatThrownBy(() -> new Window(t, t))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window start must be before end");
    }

    static Window window(String start, String end) {
        return new Window(Instant.parse(start), Instant.parse(end));
    }
}
