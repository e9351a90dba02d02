package dev.pulse.family;

import java.math.BigDecimal;
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
    public static final Set<String> FEATURES = Set.of(java.util.Arrays.stream(RiskFeature.values()).map(RiskFeature::wireName)
            .toArray(String[]::new));

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
        return new RiskScorer(this).assess(byFeature(name -> {
            Number x = values.get(name);
            return x == null ? Double.NaN : x.doubleValue();
        }));
    }

    /**
     * Whether the score {@link #assess} gives (four decimals) is strictly above {@code threshold}.
     *
     * @param values a feature's value by name; {@link Double#NaN} for one without a value (it contributes nothing)
     */
    public boolean scoresAbove(ToDoubleFunction<String> values, BigDecimal threshold) {
        return new RiskScorer(this).scoresAbove(byFeature(values), threshold);
    }

    /** What {@link RiskScorer} reads: every feature's value by its ordinal. */
    private static double[] byFeature(ToDoubleFunction<String> values) {
        double[] byFeature = RiskScorer.noValues();
        for (RiskFeature f : RiskFeature.values()) {
            byFeature[f.ordinal()] = values.applyAsDouble(f.wireName());
        }
        return byFeature;
    }
}
