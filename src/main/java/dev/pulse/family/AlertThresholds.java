package dev.pulse.family;

/**
 * Score thresholds of SPEC §3.1: a score below {@code critical} is critical, below {@code warning}
 * a warning, below {@code watch} watched. The change-over-7-days conditions join them with the
 * event-time engine.
 */
public record AlertThresholds(int critical, int warning, int watch) {

    public static final AlertThresholds DEFAULTS = new AlertThresholds(30, 50, 70);

    public AlertThresholds {
        if (!(critical <= warning && warning <= watch)) {
            throw new IllegalArgumentException(
                    "alert thresholds must satisfy critical <= warning <= watch, were " + critical + ", " + warning + ", " + watch);
        }
    }

    public AlertLevel levelOf(Integer score) {
        if (score == null) {
            return AlertLevel.NONE;
        }
        if (score < critical) {
            return AlertLevel.CRITICAL;
        }
        if (score < warning) {
            return AlertLevel.WARNING;
        }
        return score < watch ? AlertLevel.WATCH : AlertLevel.NONE;
    }

    /** The condition that holds for the level, in SPEC §7's words ({@code score 25 < 30}); null for none. */
    public String reasonOf(Integer score) {
        return switch (levelOf(score)) {
            case CRITICAL -> "score " + score + " < " + critical;
            case WARNING -> "score " + score + " < " + warning;
            case WATCH -> "score " + score + " < " + watch;
            case NONE -> null;
        };
    }
}
