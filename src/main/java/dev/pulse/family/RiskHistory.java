package dev.pulse.family;

import dev.pulse.event.Event;
import dev.pulse.event.EventType;
import dev.pulse.stream.operator.FamilyTimeline;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A family's risk score through event time (SPEC §3.7, §7), and where it crosses thresholds: what a rule on the
 * risk ({@code risk_high}) judges. Like the alert level ({@link AlertHistory}), the risk changes at two kinds of
 * points: an event, and an expiry, the instant {@code t + 7d} or {@code t + 30d} at which an event leaves a
 * rolling range. At one instant expiries come before events, and events of one instant come one by one in
 * event-id order, each one counting. At every point the features are those {@link FamilyMetricsCalculator} reads
 * as of that point, from the events up to it ({@link FamilyScan}, the same code): so the result is a function of
 * the family's events alone, whatever order they arrived in and wherever micro-batches were cut.
 * <p>
 * Points whose features cannot differ from the point before are skipped (a crossing needs a change): an event
 * that is neither a score, a login, a payment, an overdue nor a bounce, and the expiry of an event from a range
 * none of its features is counted over. A payment leaving the 30-day range is skipped too: it is older than every
 * overdue still in range, so it closed none of them. The family's very first event is always a point (the risk
 * of a family with no features yet may already be above a threshold).
 * <p>
 * A walk starts at any {@link Position}: the features at a point are read from the timeline, not carried from
 * the point before, so resuming needs only whether each threshold was exceeded at the point before. Pure and
 * stateless.
 */
public final class RiskHistory {

    private final EngagementRules rules;
    private final RiskModel model;
    private final RiskScorer scorer;
    private final long shortMs;
    private final long longMs;

    public RiskHistory(EngagementRules rules, RiskModel model) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.model = Objects.requireNonNull(model, "model");
        this.scorer = new RiskScorer(model);
        this.shortMs = rules.shortRange().toMillis();
        this.longMs = rules.longRange().toMillis();
    }

    /**
     * A change point's place in SPEC §7 order: by instant, at one instant the expiries ({@code eventId} null) before
     * the events, events by id.
     */
    public record Position(long millis, String eventId) implements Comparable<Position> {

        /** Before every point. */
        public static final Position FIRST = new Position(Long.MIN_VALUE, null);

        /** The first point at {@code t}: its expiries. */
        public static Position startOf(Instant t) {
            return t.equals(Instant.MIN) ? FIRST : new Position(t.toEpochMilli(), null);
        }

        public static Position of(Event event) {
            return new Position(event.eventTimestamp().toEpochMilli(), event.eventId());
        }

        @Override
        public int compareTo(Position o) {
            int c = Long.compare(millis, o.millis);
            if (c != 0) {
                return c;
            }
            if (eventId == null || o.eventId == null) {
                return eventId == null ? (o.eventId == null ? 0 : -1) : 1;
            }
            return eventId.compareTo(o.eventId);
        }
    }

    /**
     * A point where the risk went above a threshold ({@code above}) or back to or below it.
     *
     * @param threshold the index of the threshold crossed, as given to {@link #walk}
     * @param cause     the event of the point, or null for an expiry
     * @param leaving   for an expiry: the events whose leaving a range made the point, in SPEC §7 order; else empty
     * @param risk      the risk at the point
     */
    public record Step(Position position, int threshold, boolean above, Event cause, List<Event> leaving, RiskModel.Risk risk) {

        public Step {
            leaving = List.copyOf(leaving);
        }

        public Instant at() {
            return Instant.ofEpochMilli(position.millis());
        }

        /** SPEC §7: the event's id, or {@code expiry:<instant>}. */
        public String anchor() {
            return cause != null ? cause.eventId() : "expiry:" + at();
        }
    }

    /**
     * Walks the points in {@code [from, asOf]} in order and answers where a threshold was crossed: a point where the
     * risk score (4 decimals) is strictly greater than the threshold while at the point before it was not (or
     * there was no point before), and the points where it fell back.
     *
     * @param carry      the level walk at the pruning horizon: the latest score and the last scores of events no
     *                   longer held ({@link AlertHistory.Resume#NONE} when nothing was pruned)
     * @param thresholds the thresholds to judge, each in (0, 1)
     * @param above      for each threshold, whether the risk exceeded it at the last point before {@code from}
     *                   (false when there was none); updated to the state at the walk's end
     */
    public List<Step> walk(FamilyTimeline timeline, AlertHistory.Resume carry, Position from, Instant asOf,
                           List<BigDecimal> thresholds, boolean[] above) {
        if (model == RiskModel.NONE || thresholds.isEmpty()) {
            return List.of();
        }
        long asOfMs = asOf.toEpochMilli();
        if (from.millis() > asOfMs) {
            return List.of();
        }
        boolean whole = carry.at().equals(Instant.MIN);
        int end = timeline.indexAfter(asOfMs);
        int next = firstIndexAtOrAfter(timeline, from);
        TreeSet<Long> expiries = expiries(timeline, from, asOfMs, end);
        List<Step> steps = new ArrayList<>();
        while (next < end || !expiries.isEmpty()) {
            Long expiry = expiries.isEmpty() ? null : expiries.first();
            if (expiry != null && (next >= end || expiry <= timeline.millisAt(next))) {
                // expiries first at one instant: the events of that instant are not counted yet
                expiries.pollFirst();
                judge(timeline, carry, timeline.indexAfter(expiry - 1), expiry, null, thresholds, above, steps);
            } else {
                int i = next++;
                if (countsAt(timeline, i) || (i == 0 && whole)) {
                    judge(timeline, carry, i + 1, timeline.millisAt(i), timeline.eventAt(i), thresholds, above, steps);
                }
            }
        }
        return steps;
    }

    /** The risk at one point: of the events {@code [0, end)}, as of {@code atMs}. */
    private void judge(FamilyTimeline timeline, AlertHistory.Resume carry, int end, long atMs, Event cause,
                       List<BigDecimal> thresholds, boolean[] above, List<Step> steps) {
        FamilyScan scan = FamilyScan.of(timeline, end, atMs, rules, Long.MAX_VALUE);
        Integer current = scan.latestInTimeline != null ? scan.latestInTimeline : carry.latestScore();
        scan.carrying(carry.recentScores());
        Trend trend = scan.trend(rules.trendThreshold());
        double[] features = scan.riskFeatures(current, trend);
        RiskModel.Risk risk = null; // with its factors: only where a threshold is crossed
        List<Event> leaving = null;
        for (int k = 0; k < thresholds.size(); k++) {
            boolean now = scorer.scoresAbove(features, thresholds.get(k));
            if (now != above[k]) {
                above[k] = now;
                Position at = cause != null ? Position.of(cause) : new Position(atMs, null);
                if (cause == null && leaving == null) {
                    leaving = leaving(timeline, atMs);
                }
                if (risk == null) {
                    risk = scorer.assess(features);
                }
                steps.add(new Step(at, k, now, cause, cause == null ? leaving : List.of(), risk));
            }
        }
    }

    /** An event that changes a feature when it happens. */
    private static boolean countsAt(FamilyTimeline timeline, int i) {
        return countsForShortRange(timeline, i) || countsForLongRange(timeline, i);
    }

    /** Its leaving the 7-day range changes a feature: change_7d, logins_7d, payments_7d. */
    private static boolean countsForShortRange(FamilyTimeline timeline, int i) {
        return timeline.scoreAt(i) != FamilyTimeline.NO_SCORE || timeline.isAt(i, EventType.USER_LOGIN)
                || timeline.isAt(i, EventType.PAYMENT_RECEIVED);
    }

    /** Its leaving the 30-day range changes a feature: open_overdue, bounces_30d. */
    private static boolean countsForLongRange(FamilyTimeline timeline, int i) {
        return timeline.isAt(i, EventType.PAYMENT_OVERDUE) || timeline.isAt(i, EventType.EMAIL_BOUNCED);
    }

    /** The instants in the walk at which an event leaves a range it counts in, in order. */
    private TreeSet<Long> expiries(FamilyTimeline timeline, Position from, long asOfMs, int end) {
        TreeSet<Long> expiries = new TreeSet<>();
        // An event position's own instant has had its expiries already: they come before it.
        long firstMs = from.eventId() == null ? from.millis() : from.millis() + 1;
        addExpiries(timeline, firstMs, asOfMs, end, shortMs, true, expiries);
        addExpiries(timeline, firstMs, asOfMs, end, longMs, false, expiries);
        return expiries;
    }

    private static void addExpiries(FamilyTimeline timeline, long firstMs, long asOfMs, int end, long rangeMs,
                                    boolean shortRange, TreeSet<Long> expiries) {
        // events with t + range in [firstMs, asOfMs]; guarded against overflow at the beginning of time
        int i = firstMs == Long.MIN_VALUE || firstMs - rangeMs > firstMs ? 0 : timeline.indexAfter(firstMs - rangeMs - 1);
        for (; i < end && timeline.millisAt(i) <= asOfMs - rangeMs; i++) {
            if (shortRange ? countsForShortRange(timeline, i) : countsForLongRange(timeline, i)) {
                expiries.add(timeline.millisAt(i) + rangeMs);
            }
        }
    }

    /** The events whose leaving a range at {@code atMs} makes it a point, in SPEC §7 order. */
    private List<Event> leaving(FamilyTimeline timeline, long atMs) {
        List<Event> out = new ArrayList<>();
        for (int i = timeline.indexAfter(atMs - longMs - 1), end = timeline.indexAfter(atMs - longMs); i < end; i++) {
            if (countsForLongRange(timeline, i)) {
                out.add(timeline.eventAt(i));
            }
        }
        for (int i = timeline.indexAfter(atMs - shortMs - 1), end = timeline.indexAfter(atMs - shortMs); i < end; i++) {
            if (countsForShortRange(timeline, i)) {
                out.add(timeline.eventAt(i));
            }
        }
        return out;
    }

    /** The index of the first event at or after {@code from} in SPEC §7 order. */
    private static int firstIndexAtOrAfter(FamilyTimeline timeline, Position from) {
        if (from.millis() == Long.MIN_VALUE) {
            return 0;
        }
        int i = timeline.indexAfter(from.millis() - 1);
        if (from.eventId() == null) {
            return i;
        }
        int end = timeline.indexAfter(from.millis());
        while (i < end && timeline.eventAt(i).eventId().compareTo(from.eventId()) < 0) {
            i++;
        }
        return i;
    }
}
