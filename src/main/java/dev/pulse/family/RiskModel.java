package dev.pulse.family;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The real-time risk model of SPEC §3.7: logistic regression over a family's live features,
 * {@code risk = 1 / (1 + e^-(intercept + Σ weight·(x − mean)/scale))}. A feature without a value (a family
 * with no score yet) sits at its mean and contributes nothing. Pure and immutable; read from a model file
 * by configuration, so a new model needs no rebuild.
 *
 * @param version   the {@code model_version} written beside every score
 * @param features  the terms, each over one of {@link #FEATURES}
 */
public record RiskModel(String version, double intercept, List<Term> features) {

    /** The live features a model may use (SPEC §3.7). */
    public static final Set<String> FEATURES = Set.of("current_score", "trend_slope", "change_7d", "logins_7d",
            "payments_7d", "open_overdue", "bounces_30d");

    /** No model: families carry no risk score. */
    public static final RiskModel NONE = new RiskModel("none", 0, List.of());

    /** How many contributions {@code risk_factors} names. */
    public static final int FACTORS = 3;

    /** One standardised, weighted feature. */
    public record Term(String feature, double mean, double scale, double weight) {

        /** What value {@code x} adds to the log-odds. */
        double contribution(double x) {
            return weight * (x - mean) / scale;
        }

        public Term {
            if (!FEATURES.contains(feature)) {
                throw new IllegalArgumentException("unknown risk feature '" + feature + "'; known: " + FEATURES.stream().sorted().toList());
            }
            if (!(scale > 0) || !Double.isFinite(scale)) {
                throw new IllegalArgumentException("risk feature " + feature + ": scale must be a number > 0, was " + scale);
            }
            if (!Double.isFinite(mean) || !Double.isFinite(weight)) {
                throw new IllegalArgumentException("risk feature " + feature + ": mean and weight must be finite numbers");
            }
        }
    }

    /** A family's score, rounded to 4 decimals half-up, and the features that raise it most, largest first. */
    public record Risk(BigDecimal score, List<String> factors, String modelVersion) {

        /** What {@link #NONE} scores: nothing. */
        static final Risk UNSCORED = new Risk(null, null, null);
    }

    public RiskModel {
        Objects.requireNonNull(version, "version");
        if (version.isBlank()) {
            throw new IllegalArgumentException("risk model version must not be blank");
        }
        if (!Double.isFinite(intercept)) {
            throw new IllegalArgumentException("risk model intercept must be a finite number");
        }
        features = List.copyOf(features);
        if (features.stream().map(Term::feature).distinct().count() != features.size()) {
            throw new IllegalArgumentException("risk model lists a feature twice: " + features.stream().map(Term::feature).toList());
        }
    }

    /**
     * @param values the family's features by name; a missing or null value contributes nothing
     */
    public Risk assess(Map<String, ? extends Number> values) {
        double logit = intercept;
        List<Map.Entry<String, Double>> contributions = new ArrayList<>(features.size());
        for (Term term : features) {
            Number x = values.get(term.feature());
            double contribution = x == null ? 0 : term.contribution(x.doubleValue());
            logit += contribution;
            contributions.add(Map.entry(term.feature(), contribution));
        }
        double p = probability(logit);
        // Ties in contribution are broken by name, so the factors do not depend on the order of the file.
        List<String> factors = contributions.stream()
                .filter(c -> c.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(FACTORS)
                .map(Map.Entry::getKey)
                .toList();
        return new Risk(rounded(p), factors, version);
    }

    /**
     * Whether the score {@link #assess} gives (four decimals) is strictly above {@code threshold}, without naming
     * factors (a map, a sort) or, unless the score is within a rounding step of it, making a decimal: for judging
     * a threshold at every point of a family's history.
     *
     * @param values a feature's value by name; {@link Double#NaN} for one without a value (it contributes nothing)
     */
    public boolean scoresAbove(ToDoubleFunction<String> values, BigDecimal threshold) {
        double logit = intercept;
        for (Term term : features) {
            double x = values.applyAsDouble(term.feature());
            logit += Double.isNaN(x) ? 0 : term.contribution(x);
        }
        double p = probability(logit);
        double t = threshold.doubleValue();
        // Rounding to four decimals moves a score by at most 0.00005: farther than 0.0001 away, the double decides.
        if (p > t + 0.0001) {
            return true;
        }
        if (p < t - 0.0001) {
            return false;
        }
        return rounded(p).compareTo(threshold) > 0;
    }

    private static double probability(double logit) {
        return 1 / (1 + Math.exp(-logit));
    }

    private static BigDecimal rounded(double p) {
        return BigDecimal.valueOf(p).setScale(4, RoundingMode.HALF_UP);
    }
}
