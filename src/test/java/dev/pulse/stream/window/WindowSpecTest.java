package dev.pulse.stream.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC §2 window shapes, §3.2 defaults, §7 size labels, and the configuration text. */
class WindowSpecTest {

    @Test
    void shouldReturnTwelveWindowsWhenSlidingSizeIsOneHourAndSlideFiveMinutes() {
        Instant t = Instant.parse("2026-11-23T09:10:00Z");

        List<Window> windows = WindowSpec.sliding(Duration.ofHours(1), Duration.ofMinutes(5)).windowsFor(t);

        assertThat(windows).hasSize(12);
        // [08:10, 09:10) ends exactly at t, so it does not hold t; [08:15, 09:15) is the oldest that does.
        assertThat(windows.get(0)).isEqualTo(WindowTest.window("2026-11-23T08:15:00Z", "2026-11-23T09:15:00Z"));
        assertThat(windows.get(11)).isEqualTo(WindowTest.window("2026-11-23T09:10:00Z", "2026-11-23T10:10:00Z"));
        assertThat(windows).allSatisfy(w -> assertThat(w.contains(t)).isTrue());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2026-11-23T09:12:34.567Z", "2026-11-23T09:14:59.999Z", "1969-12-31T23:58:00Z"})
    void shouldReturnExactlyTheSlidingWindowsHoldingTimeWhenSizeIsNotMultipleOfSlide(String time) {
        Instant t = Instant.parse(time);
        WindowSpec.Sliding spec = WindowSpec.sliding(Duration.ofMinutes(10), Duration.ofMinutes(3));

        List<Window> windows = spec.windowsFor(t);

        assertThat(windows).allSatisfy(w -> assertThat(w.contains(t)).isTrue());
        Window first = windows.get(0);
        Window last = windows.get(windows.size() - 1);
        assertThat(first.start().minus(spec.slide()).plus(spec.size())).as("the window before the first ends by t").isBeforeOrEqualTo(t);
        assertThat(last.start().plus(spec.slide())).as("the window after the last starts after t").isAfter(t);
        assertThat(windows.size()).isBetween(3, 4);
    }

    @Test
    void shouldReturnOneWindowWhenSpecIsTumbling() {
        assertThat(WindowSpec.tumbling(Duration.ofMinutes(1)).windowsFor(Instant.parse("2026-11-23T09:11:00Z")))
                .containsExactly(WindowTest.window("2026-11-23T09:11:00Z", "2026-11-23T09:12:00Z"));
    }

    @Test
    void shouldCountTumblingMinuteAndHourAndThirtyMinuteSessionsWhenDefaultsAreUsed() {
        assertThat(WindowSpec.DEFAULTS).containsExactly(
                WindowSpec.tumbling(Duration.ofMinutes(1)),
                WindowSpec.tumbling(Duration.ofHours(1)),
                WindowSpec.session(Duration.ofMinutes(30)));
    }

    static Stream<Arguments> validTexts() {
        return Stream.of(
                arguments("tumbling:1m", WindowSpec.tumbling(Duration.ofMinutes(1)), "tumbling", "1m"),
                arguments("tumbling:60m", WindowSpec.tumbling(Duration.ofHours(1)), "tumbling", "1h"),
                arguments(" tumbling:1d ", WindowSpec.tumbling(Duration.ofDays(1)), "tumbling", "1d"),
                arguments("tumbling:1500ms", WindowSpec.tumbling(Duration.ofMillis(1500)), "tumbling", "1500ms"),
                arguments("sliding:1h/5m", WindowSpec.sliding(Duration.ofHours(1), Duration.ofMinutes(5)), "sliding", "1h/5m"),
                arguments("session:30m", WindowSpec.session(Duration.ofMinutes(30)), "session", "30m"),
                arguments("count:5/1", WindowSpec.count(5, 1), "count", "5/1"),
                arguments("count:5", WindowSpec.count(5, 5), "count", "5/5"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validTexts")
    void shouldParseSpecWhenTextIsValid(String text, WindowSpec expected, String type, String sizeLabel) {
        WindowSpec spec = WindowSpec.parse(text);

        assertThat(spec).isEqualTo(expected);
        assertThat(spec.type()).isEqualTo(type);
        assertThat(spec.sizeLabel()).isEqualTo(sizeLabel);
        assertThat(WindowSpec.parse(spec.toString())).as("toString is parseable").isEqualTo(spec);
    }

    static Stream<Arguments> invalidTexts() {
        return Stream.of(
                arguments("1m", "window spec \"1m\": must be one of tumbling:<size>"),
                arguments("hopping:1m", "unknown type \"hopping\""),
                arguments("tumbling:", "\"\" must be a whole number and a unit ms, s, m, h or d"),
                arguments("tumbling:1x", "\"1x\" must be a whole number and a unit"),
                arguments("tumbling:1.5m", "\"1.5m\" must be a whole number and a unit"),
                arguments("tumbling:0s", "tumbling window size must be > 0"),
                arguments("tumbling:1m/1m", "must be tumbling:<size>"),
                arguments("sliding:1h", "must be sliding:<size>/<slide>, e.g. sliding:1h/5m"),
                arguments("sliding:5m/1h", "sliding window slide must be <= size, was 1h > 5m"),
                arguments("session:0m", "session gap must be > 0"),
                arguments("count:0/1", "count window size must be in 1..10000"),
                arguments("count:5/6", "count window slide must be in 1..size (5), was 6"),
                arguments("count:five", "count window size \"five\" must be a whole number"),
                arguments("count:5/1/1", "must be count:<n>[/<slide>]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTexts")
    void shouldRejectSpecWithMessageNamingTextAndRuleWhenTextIsInvalid(String text, String message) {
        assertThatThrownBy(() -> WindowSpec.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("window spec \"" + text + "\": ")
                .hasMessageContaining(message);
    }

    @Test
    void shouldRejectNullTextWithFormsInMessage() {
        assertThatThrownBy(() -> WindowSpec.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tumbling:<size>");
    }

    @Test
    void shouldRejectSizeWhenItHasSubMillisecondPart() {
        assertThatThrownBy(() -> WindowSpec.tumbling(Duration.ofNanos(1_500_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tumbling window size must be a whole number of milliseconds");
    }
}
