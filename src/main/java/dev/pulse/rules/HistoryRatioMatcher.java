package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link HistoryRatioRule}, one per family: the sum and count of the values that have arrived, by event time,
 * so that "the earlier ones that had arrived before e" is the total minus the buckets at or after t(e) — for an
 * event in order, only those of its own instant. Buckets older than the ledger's frozen horizon are folded into
 * a base sum; an event older than that horizon (very late) therefore compares with the base as a whole.
 * Evaluated once per event, on arrival; never revisited (SPEC §7: the one order-dependent result).
 * <p>
 * The buckets are three arrays in time order, not a tree: a family holds a handful, and values nearly always arrive
 * after every bucket, so a new one is appended and the oldest are folded from the front. A tree's path of nodes was
 * a cache miss per level on every value (event times are whole milliseconds, validated so: a bucket's instant is
 * kept as epoch milliseconds).
 */
final class HistoryRatioMatcher extends Matcher.Stateful {

    private static final long[] NO_TIMES = {};
    private static final long[] NO_COUNTS = {};
    private static final BigDecimal[] NO_SUMS = {};

    private final HistoryRatioRule rule;
    private final EventFilter filter;
    /** The buckets' instants (epoch ms), ascending; {@link #size} of them are used. */
    private long[] times = NO_TIMES;
    private long[] counts = NO_COUNTS;
    private BigDecimal[] sums = NO_SUMS;
    private int size;
    private BigDecimal baseSum = BigDecimal.ZERO;
    private long baseCount;
    private BigDecimal totalSum = BigDecimal.ZERO;
    private long totalCount;

    /** @param filter the rule's filter, shared by every family's matcher */
    HistoryRatioMatcher(HistoryRatioRule rule, EventFilter filter) {
        this.rule = rule;
        this.filter = filter;
    }

    /** For {@link FamilyRules#prefetch}: reads the newest bucket, where an event lands. */
    long prefetch() {
        int s = size;
        return s == 0 ? 0 : times[s - 1] + counts[s - 1] + (sums[s - 1] == null ? 0 : 1);
    }

    @Override
    public Rule rule() {
        return rule;
    }

    @Override
    public boolean changedBy(Event x, Ledger ledger) {
        return filter.test(x) && DataValues.number(x.eventData().get(rule.field())) != null;
    }

    @Override
    public Stateful fresh() {
        return new HistoryRatioMatcher(rule, filter);
    }

    @Override
    public boolean isEmpty() {
        // equals, not compareTo: a sum of another scale would carry its scale into later sums and details
        return size == 0 && baseCount == 0 && totalCount == 0
                && BigDecimal.ZERO.equals(baseSum) && BigDecimal.ZERO.equals(totalSum);
    }

    @Override
    public void onEvent(FamilyTimeline timeline, Event x, Ledger ledger) {
        if (!filter.test(x)) {
            return;
        }
        BigDecimal value = DataValues.number(x.eventData().get(rule.field()));
        if (value == null) {
            return;
        }
        compact(ledger);
        Instant t = x.eventTimestamp();
        long ms = t.toEpochMilli();
        BigDecimal sum = totalSum;
        long count = totalCount;
        // The buckets at or after t are not earlier: taken out (none for an event after every bucket, the usual case).
        int at = size;
        while (at > 0 && times[at - 1] >= ms) {
            at--;
            sum = sum.subtract(sums[at]);
            count -= counts[at];
        }
        if (at < size && times[at] == ms) {
            sums[at] = plus(sums[at], value);
            counts[at]++;
        } else {
            insert(at, ms, value);
        }
        totalSum = plus(totalSum, value);
        totalCount++;
        // value > factor × sum / count, without dividing: value × count > factor × sum
        if (count >= rule.minEarlier()
                && value.multiply(BigDecimal.valueOf(count)).compareTo(rule.factor().multiply(sum)) > 0) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put(rule.field(), value);
            details.put("mean", sum.divide(BigDecimal.valueOf(count), MathContext.DECIMAL64));
            details.put("earlier", count);
            ledger.emitOnce(rule, x, new Found(List.of(x), t, details));
        }
    }

    /** A bucket of one value at {@code ms}, at index {@code at}. */
    private void insert(int at, long ms, BigDecimal value) {
        if (size == times.length) {
            int capacity = Math.max(4, 2 * size);
            times = Arrays.copyOf(times, capacity);
            counts = Arrays.copyOf(counts, capacity);
            sums = Arrays.copyOf(sums, capacity);
        }
        System.arraycopy(times, at, times, at + 1, size - at);
        System.arraycopy(counts, at, counts, at + 1, size - at);
        System.arraycopy(sums, at, sums, at + 1, size - at);
        times[at] = ms;
        counts[at] = 1;
        sums[at] = plus(BigDecimal.ZERO, value);
        size++;
    }

    /**
     * {@code sum.add(value)}. Zero plus a value of scale 0 or more is that value, same scale: it is shared rather than
     * made again (BigDecimals are immutable), which spares most families a 40 B number per sum they keep.
     */
    private static BigDecimal plus(BigDecimal sum, BigDecimal value) {
        return sum == BigDecimal.ZERO && value.scale() >= 0 ? value : sum.add(value);
    }

    /** Folds the buckets behind the ledger's frozen horizon into the base. */
    private void compact(Ledger ledger) {
        int folded = 0;
        while (folded < size && ledger.frozen(times[folded])) {
            baseSum = baseSum.add(sums[folded]);
            baseCount += counts[folded];
            folded++;
        }
        if (folded == 0) {
            return;
        }
        size -= folded;
        if (size == 0) {
            times = NO_TIMES; // a family whose values all froze keeps no arrays
            counts = NO_COUNTS;
            sums = NO_SUMS;
            return;
        }
        System.arraycopy(times, folded, times, 0, size);
        System.arraycopy(counts, folded, counts, 0, size);
        System.arraycopy(sums, folded, sums, 0, size);
        Arrays.fill(sums, size, size + folded, null);
    }

    FamilyRulesState.History history() {
        List<FamilyRulesState.Bucket> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(new FamilyRulesState.Bucket(Instant.ofEpochMilli(times[i]), sums[i], counts[i]));
        }
        return new FamilyRulesState.History(rule.name(), baseSum, baseCount, out);
    }

    void restore(FamilyRulesState.History history) {
        baseSum = history.baseSum();
        baseCount = history.baseCount();
        totalSum = baseSum;
        totalCount = baseCount;
        List<FamilyRulesState.Bucket> stored = history.buckets().stream()
                .sorted(Comparator.comparing(FamilyRulesState.Bucket::at)).toList();
        size = 0;
        times = stored.isEmpty() ? NO_TIMES : new long[stored.size()];
        counts = stored.isEmpty() ? NO_COUNTS : new long[stored.size()];
        sums = stored.isEmpty() ? NO_SUMS : new BigDecimal[stored.size()];
        for (FamilyRulesState.Bucket b : stored) {
            times[size] = b.at().toEpochMilli();
            counts[size] = b.count();
            sums[size] = b.sum();
            size++;
            totalSum = totalSum.add(b.sum());
            totalCount += b.count();
        }
    }
}
