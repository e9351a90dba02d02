package dev.pulse.rules;

import dev.pulse.event.Event;
import dev.pulse.stream.operator.FamilyTimeline;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * {@link HistoryRatioRule}, one per family: the sum and count of the values that have arrived, by event time,
 * so that "the earlier ones that had arrived before e" is the total minus the buckets at or after t(e) — for an
 * event in order, only those of its own instant. Buckets older than the ledger's frozen horizon are folded into
 * a base sum; an event older than that horizon (very late) therefore compares with the base as a whole.
 * Evaluated once per event, on arrival; never revisited (SPEC §7: the one order-dependent result).
 */
final class HistoryRatioMatcher implements Matcher.Stateful {

    private static final class Bucket {
        BigDecimal sum = BigDecimal.ZERO;
        long count;
    }

    private final HistoryRatioRule rule;
    private final EventFilter filter;
    /** Null until the first value: most families never have one, and an empty tree still costs its object. */
    private NavigableMap<Instant, Bucket> buckets;
    /**
     * No bucket is later than this (it may be later than every bucket left): an event after it, the usual case, has
     * no bucket at or after its instant, and the tree is not searched for one.
     */
    private Instant latestBucket = Instant.MIN;
    private BigDecimal baseSum = BigDecimal.ZERO;
    private long baseCount;
    private BigDecimal totalSum = BigDecimal.ZERO;
    private long totalCount;

    /** @param filter the rule's filter, shared by every family's matcher */
    HistoryRatioMatcher(HistoryRatioRule rule, EventFilter filter) {
        this.rule = rule;
        this.filter = filter;
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
        return buckets == null && baseCount == 0 && totalCount == 0
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
        compact(ledger.frozenBefore());
        if (buckets == null) {
            buckets = new TreeMap<>();
        }
        Instant t = x.eventTimestamp();
        BigDecimal sum = totalSum;
        long count = totalCount;
        if (t.isAfter(latestBucket)) {
            latestBucket = t; // no bucket at or after t to take out
        } else {
            for (Bucket b : buckets.tailMap(t, true).values()) {   // not strictly earlier: same instant or later
                sum = sum.subtract(b.sum);
                count -= b.count;
            }
        }
        Bucket bucket = buckets.computeIfAbsent(t, k -> new Bucket());
        bucket.sum = plus(bucket.sum, value);
        bucket.count++;
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

    /**
     * {@code sum.add(value)}. Zero plus a value of scale 0 or more is that value, same scale: it is shared rather than
     * made again (BigDecimals are immutable), which spares most families a 40 B number per sum they keep.
     */
    private static BigDecimal plus(BigDecimal sum, BigDecimal value) {
        return sum == BigDecimal.ZERO && value.scale() >= 0 ? value : sum.add(value);
    }

    private void compact(Instant before) {
        while (buckets != null && !buckets.isEmpty() && buckets.firstKey().isBefore(before)) {
            Bucket b = buckets.pollFirstEntry().getValue();
            baseSum = baseSum.add(b.sum);
            baseCount += b.count;
        }
    }

    FamilyRulesState.History history() {
        List<FamilyRulesState.Bucket> out = new ArrayList<>(buckets == null ? 0 : buckets.size());
        if (buckets != null) {
            buckets.forEach((at, b) -> out.add(new FamilyRulesState.Bucket(at, b.sum, b.count)));
        }
        return new FamilyRulesState.History(rule.name(), baseSum, baseCount, out);
    }

    void restore(FamilyRulesState.History history) {
        baseSum = history.baseSum();
        baseCount = history.baseCount();
        totalSum = baseSum;
        totalCount = baseCount;
        buckets = history.buckets().isEmpty() ? null : new TreeMap<>();
        for (FamilyRulesState.Bucket b : history.buckets()) {
            Bucket bucket = new Bucket();
            bucket.sum = b.sum();
            bucket.count = b.count();
            buckets.put(b.at(), bucket);
            if (b.at().isAfter(latestBucket)) {
                latestBucket = b.at();
            }
            totalSum = totalSum.add(b.sum());
            totalCount += b.count();
        }
    }
}
