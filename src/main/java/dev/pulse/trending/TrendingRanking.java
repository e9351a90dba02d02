package dev.pulse.trending;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The ranking rules of trending (SPEC §3.5, README "Trending"), apart from where the counts come from.
 * <ul>
 *   <li>Families: most events first; equal counts by family id (ascending, by code point), so the top N is one
 *       list whatever the order the counts were read in.</li>
 *   <li>Event types: only a type with at least {@code minCount} events in the window, and more than in the previous
 *       window, is trending. Ranked by the ratio count / previous count, highest first, a type absent from the
 *       previous window (no ratio) above every ratio; equal ratios by count (higher first), then by type name.</li>
 * </ul>
 */
public final class TrendingRanking {

    private static final Comparator<Trending.FamilyCount> FAMILIES = Comparator
            .comparingLong(Trending.FamilyCount::eventCount).reversed()
            .thenComparing(Trending.FamilyCount::familyId);

    /** Ratios compared exactly (cross-multiplied), not as their rounded decimals. */
    private static final Comparator<Trending.TypeRise> BY_RATIO = (a, b) -> {
        boolean aNew = a.previousCount() == 0;
        boolean bNew = b.previousCount() == 0;
        if (aNew || bNew) {
            return Boolean.compare(bNew, aNew);
        }
        return BigInteger.valueOf(b.count()).multiply(BigInteger.valueOf(a.previousCount()))
                .compareTo(BigInteger.valueOf(a.count()).multiply(BigInteger.valueOf(b.previousCount())));
    };

    private static final Comparator<Trending.TypeRise> TYPES = BY_RATIO
            .thenComparing(Comparator.comparingLong(Trending.TypeRise::count).reversed())
            .thenComparing(Trending.TypeRise::eventType);

    private TrendingRanking() {
    }

    /** The {@code top} families of {@code counts} (family id → events in the window). */
    public static List<Trending.FamilyCount> families(Map<String, Long> counts, int top) {
        List<Trending.FamilyCount> all = new ArrayList<>(counts.size());
        counts.forEach((family, count) -> {
            if (count > 0) {
                all.add(new Trending.FamilyCount(family, count));
            }
        });
        all.sort(FAMILIES);
        return List.copyOf(all.subList(0, Math.min(top, all.size())));
    }

    /** The {@code top} rising types, from each type's count in the window and in the previous one. */
    public static List<Trending.TypeRise> eventTypes(Map<String, Long> now, Map<String, Long> previous, int top, long minCount) {
        List<Trending.TypeRise> rising = new ArrayList<>();
        now.forEach((type, count) -> {
            long before = previous.getOrDefault(type, 0L);
            if (count >= minCount && count > before) {
                BigDecimal ratio = before == 0 ? null : BigDecimal.valueOf(count).divide(BigDecimal.valueOf(before), 3, RoundingMode.HALF_EVEN);
                rising.add(new Trending.TypeRise(type, count, before, ratio));
            }
        });
        rising.sort(TYPES);
        return List.copyOf(rising.subList(0, Math.min(top, rising.size())));
    }
}
