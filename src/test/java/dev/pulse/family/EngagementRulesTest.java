package dev.pulse.family;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The level thresholds and alert_reason text of SPEC §3.1 and §7, on the default rules. */
class EngagementRulesTest {

    private final EngagementRules rules = EngagementRules.DEFAULTS;

    static Stream<Arguments> scoreThresholds() {
        // The score condition is strict: "score < 30", so exactly the threshold is the next level down.
        return Stream.of(
                arguments(0, AlertLevel.CRITICAL, "score 0 < 30"),
                arguments(29, AlertLevel.CRITICAL, "score 29 < 30"),
                arguments(30, AlertLevel.WARNING, "score 30 < 50"),
                arguments(49, AlertLevel.WARNING, "score 49 < 50"),
                arguments(50, AlertLevel.WATCH, "score 50 < 70"),
                arguments(69, AlertLevel.WATCH, "score 69 < 70"),
                arguments(70, AlertLevel.NONE, null),
                arguments(100, AlertLevel.NONE, null));
    }

    @ParameterizedTest(name = "score {0} -> {1}")
    @MethodSource("scoreThresholds")
    void shouldPickLevelFromScoreWhenChangeIsZero(int score, AlertLevel level, String reason) {
        EngagementRules.Level result = rules.levelOf(score, 0);

        assertThat(result.level()).isEqualTo(level);
        assertThat(result.reason()).isEqualTo(reason);
    }

    static Stream<Arguments> changeThresholds() {
        // The change condition is strict too: "change_7d < -40", so -40 itself is only a warning.
        return Stream.of(
                arguments(-100, AlertLevel.CRITICAL, "change_7d -100 < -40"),
                arguments(-41, AlertLevel.CRITICAL, "change_7d -41 < -40"),
                arguments(-40, AlertLevel.WARNING, "change_7d -40 < -25"),
                arguments(-26, AlertLevel.WARNING, "change_7d -26 < -25"),
                arguments(-25, AlertLevel.WATCH, "change_7d -25 < -10"),
                arguments(-11, AlertLevel.WATCH, "change_7d -11 < -10"),
                arguments(-10, AlertLevel.NONE, null),
                arguments(0, AlertLevel.NONE, null),
                arguments(60, AlertLevel.NONE, null));
    }

    @ParameterizedTest(name = "change {0} -> {1}")
    @MethodSource("changeThresholds")
    void shouldPickLevelFromChangeWhenScoreIsHigh(int change, AlertLevel level, String reason) {
        EngagementRules.Level result = rules.levelOf(100, change);

        assertThat(result.level()).isEqualTo(level);
        assertThat(result.reason()).isEqualTo(reason);
    }

    static Stream<Arguments> bothConditions() {
        return Stream.of(
                // both conditions of the level hold: score first, then change, joined by "; "
                arguments(25, -45, AlertLevel.CRITICAL, "score 25 < 30; change_7d -45 < -40"),
                arguments(40, -30, AlertLevel.WARNING, "score 40 < 50; change_7d -30 < -25"),
                arguments(60, -20, AlertLevel.WATCH, "score 60 < 70; change_7d -20 < -10"),
                arguments(29, -41, AlertLevel.CRITICAL, "score 29 < 30; change_7d -41 < -40"),
                // only the conditions of the current level are listed, not those of lower levels
                arguments(25, -30, AlertLevel.CRITICAL, "score 25 < 30"),
                arguments(45, -45, AlertLevel.CRITICAL, "change_7d -45 < -40"),
                arguments(60, -30, AlertLevel.WARNING, "change_7d -30 < -25"),
                arguments(45, -15, AlertLevel.WARNING, "score 45 < 50"),
                arguments(50, -25, AlertLevel.WATCH, "score 50 < 70; change_7d -25 < -10"),
                arguments(30, -40, AlertLevel.WARNING, "score 30 < 50; change_7d -40 < -25"),
                arguments(70, -10, AlertLevel.NONE, null));
    }

    @ParameterizedTest(name = "score {0}, change {1} -> {2}: {3}")
    @MethodSource("bothConditions")
    void shouldListHoldingConditionsScoreFirstWhenBothAreGiven(int score, int change, AlertLevel level, String reason) {
        EngagementRules.Level result = rules.levelOf(score, change);

        assertThat(result.level()).isEqualTo(level);
        assertThat(result.reason()).isEqualTo(reason);
    }

    @ParameterizedTest(name = "change {0}")
    @MethodSource("changeThresholds")
    void shouldBeNoneWhenFamilyHasNoScore(int change) {
        EngagementRules.Level result = rules.levelOf(null, change);

        assertThat(result.level()).isEqualTo(AlertLevel.NONE);
        assertThat(result.reason()).isNull();
    }

    @Test
    void shouldUseConfiguredThresholdsInLevelAndReasonWhenRulesAreCustom() {
        EngagementRules custom = new EngagementRules(20, 40, 60, -50, -30, -5, 1.0, 5, Duration.ofDays(3), Duration.ofDays(10));

        assertThat(custom.levelOf(20, 0)).isEqualTo(new EngagementRules.Level(AlertLevel.WARNING, "score 20 < 40"));
        assertThat(custom.levelOf(19, -51)).isEqualTo(new EngagementRules.Level(AlertLevel.CRITICAL, "score 19 < 20; change_7d -51 < -50"));
        assertThat(custom.levelOf(65, -6)).isEqualTo(new EngagementRules.Level(AlertLevel.WATCH, "change_7d -6 < -5"));
        assertThat(custom.levelOf(60, -5)).isEqualTo(new EngagementRules.Level(AlertLevel.NONE, null));
    }

    @Test
    void shouldHoldSpecDefaultsWhenUsingDefaults() {
        assertThat(EngagementRules.DEFAULTS).isEqualTo(new EngagementRules(30, 50, 70, -40, -25, -10, 2.0, 7,
                Duration.ofDays(7), Duration.ofDays(30)));
    }

    static Stream<Arguments> invalidRules() {
        Duration d7 = Duration.ofDays(7);
        Duration d30 = Duration.ofDays(30);
        return Stream.of(
                arguments((Runnable) () -> new EngagementRules(50, 30, 70, -40, -25, -10, 2.0, 7, d7, d30), "score thresholds"),
                arguments((Runnable) () -> new EngagementRules(30, 50, 40, -40, -25, -10, 2.0, 7, d7, d30), "score thresholds"),
                arguments((Runnable) () -> new EngagementRules(30, 50, 70, -10, -25, -40, 2.0, 7, d7, d30), "change thresholds"),
                arguments((Runnable) () -> new EngagementRules(30, 50, 70, -40, -25, -10, 2.0, 1, d7, d30), "trend points"),
                arguments((Runnable) () -> new EngagementRules(30, 50, 70, -40, -25, -10, 2.0, 7, Duration.ZERO, d30), "ranges"),
                arguments((Runnable) () -> new EngagementRules(30, 50, 70, -40, -25, -10, 2.0, 7, d7.negated(), d30), "ranges"),
                arguments((Runnable) () -> new EngagementRules(30, 50, 70, -40, -25, -10, 2.0, 7, d30, d7), "ranges"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidRules")
    void shouldRejectRulesWhenThresholdsAreInconsistent(Runnable construct, String named) {
        assertThatThrownBy(construct::run)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named);
    }

    @Test
    void shouldRejectRulesWhenRangeIsMissing() {
        assertThatThrownBy(() -> new EngagementRules(30, 50, 70, -40, -25, -10, 2.0, 7, null, Duration.ofDays(30)))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("shortRange");
    }
}
