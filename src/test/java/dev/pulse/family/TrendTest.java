package dev.pulse.family;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engagement trend of SPEC §3.1: least-squares slope over the last scores with x = 0..n−1; {@code > 2}
 * rising, {@code < −2} declining, else stable. Expected slopes are computed by hand as
 * Σ(x − x̄)·y / Σ(x − x̄)².
 */
class TrendTest {

    private static final double THRESHOLD = EngagementRules.DEFAULTS.trendThreshold();

    static Stream<Arguments> fewerThanTwoScores() {
        return Stream.of(arguments(List.of()), arguments(List.of(10)), arguments(List.of(100)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fewerThanTwoScores")
    void shouldBeStableWhenFewerThanTwoScores(List<Integer> scores) {
        assertThat(Trend.of(scores, THRESHOLD)).isEqualTo(Trend.STABLE);
    }

    static Stream<Arguments> exactBoundary() {
        return Stream.of(
                // Σ(x−x̄)·y / Σ(x−x̄)² is exactly +2 or −2: "> 2" and "< −2" are strict, so stable
                arguments(List.of(50, 52), 2.0),
                arguments(List.of(52, 50), -2.0),
                arguments(List.of(60, 62, 64), 2.0),
                arguments(List.of(1, 2, 5), 2.0),                      // (−1·1 + 1·5) / 2
                arguments(List.of(0, 2, 4, 6, 8, 10, 12), 2.0),
                arguments(List.of(80, 78, 76, 74, 72, 70, 68), -2.0),
                arguments(List.of(40, 43, 44, 46, 48, 51, 52), 2.0),   // (−120−86−44+48+102+156) / 28 = 56/28
                // mean 95/7 is not a binary fraction: (−57−34−16+12+18+21) / 28 = −56/28 = −2 exactly
                arguments(List.of(19, 17, 16, 14, 12, 9, 7), -2.0),
                // mean 261/7: (−36−146−23+5+196+60) / 28 = 56/28 = +2 exactly
                arguments(List.of(12, 73, 23, 30, 5, 98, 20), 2.0));
    }

    @ParameterizedTest(name = "{0} -> slope {1}")
    @MethodSource("exactBoundary")
    void shouldBeStableWhenSlopeIsExactlyTwo(List<Integer> scores, double slope) {
        Trend trend = Trend.of(scores, THRESHOLD);

        assertThat(trend.slope()).isCloseTo(slope, within(1e-9));
        assertThat(trend.direction())
                .as("exact slope %s of %s is not beyond the threshold (computed %s)", slope, scores, trend.slope())
                .isEqualTo("stable");
    }

    static Stream<Arguments> justBeyond() {
        return Stream.of(
                arguments(List.of(50, 53), 3.0, "rising"),
                arguments(List.of(53, 50), -3.0, "declining"),
                arguments(List.of(0, 2, 4, 6, 8, 10, 13), 59.0 / 28, "rising"),      // one point above +2
                arguments(List.of(13, 10, 8, 6, 4, 2, 0), -59.0 / 28, "declining"),  // one point below −2
                arguments(List.of(60, 62, 65), 2.5, "rising"),
                arguments(List.of(65, 62, 60), -2.5, "declining"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("justBeyond")
    void shouldRiseOrDeclineWhenSlopeIsJustBeyondTwo(List<Integer> scores, double slope, String direction) {
        Trend trend = Trend.of(scores, THRESHOLD);

        assertThat(trend.slope()).isCloseTo(slope, within(1e-9));
        assertThat(trend.direction()).isEqualTo(direction);
    }

    static Stream<Arguments> justInside() {
        return Stream.of(
                arguments(List.of(0, 2, 4, 6, 8, 10, 11), 53.0 / 28),
                arguments(List.of(11, 10, 8, 6, 4, 2, 0), -53.0 / 28),
                arguments(List.of(70, 70, 70, 70), 0.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("justInside")
    void shouldBeStableWhenSlopeIsWithinTwo(List<Integer> scores, double slope) {
        Trend trend = Trend.of(scores, THRESHOLD);

        assertThat(trend.slope()).isCloseTo(slope, within(1e-9));
        assertThat(trend.direction()).isEqualTo("stable");
    }

    @Test
    void shouldWeighOrderNotValuesWhenScoresAreEqualAtEnds() {
        // (−1·80 + 0·20 + 1·80) / 2 = 0: a dip in the middle is no trend
        assertThat(Trend.of(List.of(80, 20, 80), THRESHOLD)).isEqualTo(new Trend("stable", 0.0));
    }

    @Test
    void shouldUseConfiguredThresholdWhenItIsNotTwo() {
        assertThat(Trend.of(List.of(50, 51), 0.5).direction()).isEqualTo("rising");
        assertThat(Trend.of(List.of(50, 51), 1.0).direction()).isEqualTo("stable");
        assertThat(Trend.of(List.of(51, 50), 1.0).direction()).isEqualTo("stable");
        assertThat(Trend.of(List.of(52, 50), 1.0).direction()).isEqualTo("declining");
    }
}
