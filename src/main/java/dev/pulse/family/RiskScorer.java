package dev.pulse.family;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link RiskModel} made ready to score every family at every computation: its terms resolved to features once,
 * so a score reads an array of feature values instead of a map by name, and names its factors without a stream.
 * Gives what the model's definition gives (SPEC §3.7), to the bit: terms are summed in the model's order.
 * Immutable.
 */
final class RiskScorer {

    private final RiskModel model;
    /** Per term, in the model's order: the {@link RiskFeature#ordinal()} it weighs. */
    private final int[] features;

    RiskScorer(RiskModel model) {
        this.model = model;
        this.features = model.features().stream().mapToInt(t -> RiskFeature.named(t.feature()).ordinal()).toArray();
    }

    /** An array for {@link #assess}: every feature without a value. */
    static double[] noValues() {
        double[] values = new double[RiskFeature.count()];
        Arrays.fill(values, Double.NaN);
        return values;
    }

    /**
     * @param values by {@link RiskFeature#ordinal()}; {@link Double#NaN} for one without a value (it contributes nothing)
     */
    RiskModel.Risk assess(double[] values) {
        List<RiskModel.Term> terms = model.features();
        double[] contributions = new double[terms.size()];
        double logit = model.intercept();
        for (int i = 0; i < contributions.length; i++) {
            contributions[i] = contribution(terms, i, values);
            logit += contributions[i];
        }
        return new RiskModel.Risk(FourDecimals.halfUp(probability(logit)), factors(terms, contributions), model.version());
    }

    /**
     * The features that raise the risk most, largest first, at most {@link RiskModel#FACTORS}. Ties in contribution
     * are broken by name, so the factors do not depend on the order of the file.
     */
    private static List<String> factors(List<RiskModel.Term> terms, double[] contributions) {
        String[] factors = new String[RiskModel.FACTORS];
        int n = 0;
        // Picked in order, each the greatest of those after the one before: the order is total (names differ).
        int previous = -1;
        while (n < factors.length) {
            int best = -1;
            for (int i = 0; i < contributions.length; i++) {
                if (contributions[i] > 0 && (previous < 0 || raisesMore(terms, contributions, previous, i))
                        && (best < 0 || raisesMore(terms, contributions, i, best))) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            factors[n++] = terms.get(best).feature();
            previous = best;
        }
        return List.of(Arrays.copyOf(factors, n));
    }

    private static boolean raisesMore(List<RiskModel.Term> terms, double[] contributions, int i, int than) {
        int c = Double.compare(contributions[i], contributions[than]);
        return c > 0 || c == 0 && terms.get(i).feature().compareTo(terms.get(than).feature()) < 0;
    }

    /**
     * Whether the score {@link #assess} gives (four decimals) is strictly above {@code threshold}, without naming
     * factors or, unless the score is within a rounding step of it, making a decimal: for judging a threshold at
     * every point of a family's history.
     */
    boolean scoresAbove(double[] values, BigDecimal threshold) {
        List<RiskModel.Term> terms = model.features();
        double logit = model.intercept();
        for (int i = 0; i < features.length; i++) {
            logit += contribution(terms, i, values);
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
        return FourDecimals.halfUp(p).compareTo(threshold) > 0;
    }

    /** Term {@code i}'s part of the logit; nothing for a feature without a value. */
    private double contribution(List<RiskModel.Term> terms, int i, double[] values) {
        double x = values[features[i]];
        return Double.isNaN(x) ? 0 : terms.get(i).contribution(x);
    }

    private static double probability(double logit) {
        return 1 / (1 + Math.exp(-logit));
    }
}
