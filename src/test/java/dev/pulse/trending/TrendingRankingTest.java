package dev.pulse.trending;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC §3.5 trending, ranked by hand: ties, the minimum count, types new in the window. */
class TrendingRankingTest {

    @Test
    void shouldRankFamiliesByCountThenIdAndKeepTheTopOnes() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("family-c", 7L);
        counts.put("family-b", 9L);
        counts.put("family-a", 7L);
        counts.put("family-d", 3L);
        counts.put("family-e", 0L);

        assertThat(TrendingRanking.families(counts, 3)).containsExactly(
                new Trending.FamilyCount("family-b", 9), new Trending.FamilyCount("family-a", 7), new Trending.FamilyCount("family-c", 7));
        assertThat(TrendingRanking.families(counts, 10)).as("a family without events is not ranked")
                .extracting(Trending.FamilyCount::familyId).containsExactly("family-b", "family-a", "family-c", "family-d");
    }

    @Test
    void shouldRankRisingTypesByRatioWithNewTypesFirstAndTiesByCountThenName() {
        Map<String, Long> now = Map.of(
                "UserLogin", 40L,          // 40 / 10 = 4
                "PaymentReceived", 20L,    // 20 / 5 = 4, fewer events than UserLogin
                "EmailOpened", 24L,        // 24 / 6 = 4, between the two
                "EmailBounced", 21L,       // new (0 before)
                "Custom.Thing", 30L,       // new (absent before), more events than EmailBounced
                "UserLogout", 25L);        // 25 / 20 = 1.25
        Map<String, Long> previous = Map.of("UserLogin", 10L, "PaymentReceived", 5L, "EmailOpened", 6L, "EmailBounced", 0L,
                "UserLogout", 20L);

        List<Trending.TypeRise> ranked = TrendingRanking.eventTypes(now, previous, 10, 20);

        assertThat(ranked).extracting(Trending.TypeRise::eventType)
                .containsExactly("Custom.Thing", "EmailBounced", "UserLogin", "EmailOpened", "PaymentReceived", "UserLogout");
        assertThat(ranked.get(0)).isEqualTo(new Trending.TypeRise("Custom.Thing", 30, 0, null));
        assertThat(ranked.get(2).ratio()).isEqualByComparingTo("4");
        assertThat(ranked.get(5).ratio()).isEqualByComparingTo(new BigDecimal("1.25"));
    }

    @Test
    void shouldLeaveOutATypeBelowTheMinimumCountOrNotRising() {
        Map<String, Long> now = Map.of("A", 19L, "B", 20L, "C", 30L, "D", 30L);
        Map<String, Long> previous = Map.of("A", 1L, "B", 1L, "C", 30L, "D", 31L);

        assertThat(TrendingRanking.eventTypes(now, previous, 10, 20)).as("19 < 20; equal and falling counts do not rise")
                .extracting(Trending.TypeRise::eventType).containsExactly("B");
    }

    @Test
    void shouldCompareRatiosExactlyNotAsRoundedDecimals() {
        // 70001 / 30000 = 2.33336… and 7 / 3 = 2.33333…: equal to three decimals, but the first is higher
        Map<String, Long> now = Map.of("X", 70_001L, "Y", 7_000_000L);
        Map<String, Long> previous = Map.of("X", 30_000L, "Y", 3_000_000L);

        assertThat(TrendingRanking.eventTypes(now, previous, 10, 20)).extracting(Trending.TypeRise::eventType).containsExactly("X", "Y");
    }
}
