package dev.pulse.family;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC §3.7: the logistic risk score and its factors, by hand. */
class RiskModelTest {

    private static final RiskModel MODEL = new RiskModel("test-1", -2.0, List.of(
            new RiskModel.Term("current_score", 60, 20, -1.2),
            new RiskModel.Term("open_overdue", 0, 1, 1.5),
            new RiskModel.Term("logins_7d", 3, 3, -0.4),
            new RiskModel.Term("bounces_30d", 0, 2, 0.6)));

    @Test
    void shouldScoreAFamilyAsTheLogisticOfItsWeightedStandardisedFeatures() {
        // logit = -2 + (-1.2)(20 − 60)/20 + 1.5·(1 − 0)/1 + (-0.4)(3 − 3)/3 + 0.6·(1 − 0)/2
        //       = -2 + 2.4 + 1.5 + 0 + 0.3 = 2.2;  1 / (1 + e^-2.2) = 0.900249…
        RiskModel.Risk risk = MODEL.assess(Map.of("current_score", 20, "open_overdue", 1, "logins_7d", 3, "bounces_30d", 1));

        assertThat(risk.score()).isEqualTo(new BigDecimal("0.9002"));
        assertThat(risk.factors()).containsExactly("current_score", "open_overdue", "bounces_30d");
        assertThat(risk.modelVersion()).isEqualTo("test-1");
    }

    @Test
    void shouldJudgeAThresholdExactlyAsTheRoundedScoreWhenScoreIsNearIt() {
        // the score is 0.9002 (above): at, just below and just above it, and far from it on both sides
        Map<String, Integer> values = Map.of("current_score", 20, "open_overdue", 1, "logins_7d", 3, "bounces_30d", 1);
        for (String threshold : List.of("0.9002", "0.90015", "0.9001", "0.90025", "0.9003", "0.5", "0.99")) {
            BigDecimal t = new BigDecimal(threshold);

            boolean above = MODEL.scoresAbove(name -> values.containsKey(name) ? values.get(name) : Double.NaN, t);

            assertThat(above).as("above %s", threshold).isEqualTo(MODEL.assess(values).score().compareTo(t) > 0);
        }
        assertThat(MODEL.scoresAbove(name -> values.containsKey(name) ? values.get(name) : Double.NaN, new BigDecimal("0.9002")))
                .as("a score exactly at the threshold is not above it").isFalse();
    }

    @Test
    void shouldLeaveOutAMissingFeatureAndNameOnlyFactorsThatRaiseTheRisk() {
        // no score yet: logit = -2 + 0 + 0 + (-0.4)(6 − 3)/3 + 0 = -2.4;  1 / (1 + e^2.4) = 0.083172…
        RiskModel.Risk risk = MODEL.assess(Map.of("open_overdue", 0, "logins_7d", 6, "bounces_30d", 0));

        assertThat(risk.score()).isEqualTo(new BigDecimal("0.0832"));
        assertThat(risk.factors()).isEmpty();
    }

    @Test
    void shouldBreakTiesInContributionByFeatureName() {
        RiskModel tied = new RiskModel("tie", 0, List.of(
                new RiskModel.Term("open_overdue", 0, 1, 1),
                new RiskModel.Term("bounces_30d", 0, 1, 1)));

        assertThat(tied.assess(Map.of("open_overdue", 1, "bounces_30d", 1)).factors()).containsExactly("bounces_30d", "open_overdue");
    }

    @Test
    void shouldNameAtMostThreeFactorsLargestFirstWhateverTheOrderOfTheFile() {
        // contributions: logins 4·1 = 4, overdue 2·2 = 4, bounces 1·3 = 3, payments 5·1 = 5, change 1·(−1) = −1
        RiskModel many = new RiskModel("many", 0, List.of(
                new RiskModel.Term("logins_7d", 0, 1, 1),
                new RiskModel.Term("open_overdue", 0, 1, 2),
                new RiskModel.Term("bounces_30d", 0, 1, 1),
                new RiskModel.Term("change_7d", 0, 1, 1),
                new RiskModel.Term("payments_7d", 0, 1, 1)));

        RiskModel.Risk risk = many.assess(Map.of("logins_7d", 4, "open_overdue", 2, "bounces_30d", 3, "change_7d", -1,
                "payments_7d", 5));

        // payments 5, then the tie at 4 by name (logins_7d < open_overdue); bounces (3) is the fourth
        assertThat(risk.factors()).containsExactly("payments_7d", "logins_7d", "open_overdue");
    }

    @Test
    void shouldRefuseAModelThatCannotBeRead() {
        assertThatThrownBy(() -> new RiskModel.Term("shoe_size", 0, 1, 1)).hasMessageContaining("unknown risk feature 'shoe_size'");
        assertThatThrownBy(() -> new RiskModel.Term("logins_7d", 0, 0, 1)).hasMessageContaining("logins_7d: scale must be a number > 0");
        assertThatThrownBy(() -> new RiskModel("v", 0, List.of(new RiskModel.Term("logins_7d", 0, 1, 1),
                new RiskModel.Term("logins_7d", 0, 1, 2)))).hasMessageContaining("lists a feature twice");
        assertThatThrownBy(() -> new RiskModel(" ", 0, List.of())).hasMessageContaining("version must not be blank");
    }
}
