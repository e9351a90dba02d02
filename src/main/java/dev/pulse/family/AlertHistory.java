package dev.pulse.family;

import dev.pulse.event.Event;
import dev.pulse.stream.time.EpochMillis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A family's alert level through event time (SPEC §3.1, §7), computed from its scores. The level
 * changes at two kinds of points: a score event (a new latest score, a new 7-day change) and an expiry,
 * the instant {@code t + 7d} at which a score leaves the range. At one instant expiries come before
 * events, and events of one instant come one by one in event-id order, each one counting. A pure
 * function of the set of scores, so the same scores give the same history whatever order they arrived in.
 * <p>
 * A walk can be resumed: {@link Resume} is the whole state of the walk at an instant (level, since,
 * latest score, scores still in range), so a walk over the points after it gives exactly what a walk
 * from the beginning would. The engine uses this to walk only what is new, and to forget old scores.
 */
public final class AlertHistory {

    private final EngagementRules rules;

    public AlertHistory(EngagementRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /** One point where the level changed. {@code cause} is the score event, or null for an expiry. */
    public record Step(Instant at, AlertLevel from, AlertLevel to, String reason, Event cause, List<Event> scoresInRange) {

        public boolean rose() {
            return to.rank() > from.rank();
        }

        /** SPEC §7: the anchor of an engagement_alert, the rising score event's id or {@code expiry:<instant>}. */
        public String anchor() {
            return cause != null ? cause.eventId() : "expiry:" + at;
        }
    }

    /**
     * The state of a walk after every point at or before {@code at}.
     *
     * @param inRange      the scores in {@code (at − 7d, at]}, in SPEC §7 order
     * @param recentScores the last scores up to {@code at} (at most the trend's points), oldest first: the
     *                     trend still needs them once their events are forgotten
     */
    public record Resume(Instant at, AlertLevel level, String reason, Instant since, Integer latestScore, List<Event> inRange,
                         List<Integer> recentScores) {

        public static final Resume NONE = new Resume(Instant.MIN, AlertLevel.NONE, null, null, null, List.of(), List.of());

        public Resume {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(level, "level");
            inRange = List.copyOf(inRange);
            recentScores = List.copyOf(recentScores);
        }

        /** The same state at a later instant, when no point lies between the two. */
        public Resume movedTo(Instant later) {
            return new Resume(later, level, reason, since, latestScore, inRange, recentScores);
        }
    }

    /**
     * Reads what a computation reads first of these walks' ends (the first {@code n} {@link Resume}s; nulls are
     * skipped), for a caller reading ahead of its computations ({@code engine.ReadAhead}). Changes nothing; answers a
     * sum of what it read.
     */
    public static long prefetch(Object[] resumes, int n) {
        long sink = 0;
        for (int k = 0; k < n; k++) {
            if (resumes[k] instanceof Resume r) {
                sink += r.at.getNano() + r.inRange.size() + r.recentScores.size();
            }
        }
        return sink;
    }

    /** The steps of a walk, in order, and where it ended. */
    public record Result(List<Step> steps, Resume end) {
    }

    /**
     * Walks the points in {@code (from.at, asOf]}.
     *
     * @param scores score events after {@code from.at}, in SPEC §7 order (earlier ones are ignored)
     * @param asOf   the partition's stream time: points after it have not happened yet
     */
    public Result walk(List<Event> scores, Instant asOf, Resume from) {
        List<Event> events = within(scores, from.at(), asOf);
        if (events.isEmpty() && noneLeavesRange(asOf, from)) {
            // The common step of a family with no new score: only the walk's instant moves.
            Instant end = asOf.isAfter(from.at()) ? asOf : from.at();
            return new Result(List.of(), new Resume(end, from.level(), from.reason(), from.since(), from.latestScore(),
                    from.inRange(), from.recentScores()));
        }
        // The scores in range are a window sliding over (old scores in range, new scores): expiries drop its head,
        // events extend its tail. Arrays with two indexes, not deques: a walk is a few points, and its state is made
        // once at the end.
        List<Event> held = from.inRange();
        Event[] inRange = held.toArray(new Event[held.size() + events.size()]);
        int head = 0;
        int tail = held.size();
        Integer latest = from.latestScore();
        AlertLevel level = from.level();
        String reason = from.reason();
        Instant since = from.since();
        List<Step> steps = null;
        Instant[] expiries = expiries(from, events, asOf);
        int nextExpiry = 0;
        int next = 0;
        boolean walked = false;
        int lastChange = 0;
        // The first score in range, read again only after the range's head changed: its event is rarely in cache.
        int firstScore = 0;
        boolean firstKnown = false;
        while (next < events.size() || nextExpiry < expiries.length) {
            Event event = next < events.size() ? events.get(next) : null;
            Instant expiry = nextExpiry < expiries.length ? expiries[nextExpiry] : null;
            Instant at;
            // expiries first at one instant
            if (expiry != null && (event == null || !expiry.isAfter(event.eventTimestamp()))) {
                nextExpiry++;
                at = expiry;
                Instant horizon = expiry.minus(rules.shortRange());
                while (head < tail && !inRange[head].eventTimestamp().isAfter(horizon)) {
                    inRange[head++] = null;
                    firstKnown = false;
                }
                event = null;
            } else {
                next++;
                at = event.eventTimestamp();
                latest = event.newScore().orElseThrow();
                inRange[tail++] = event;
            }
            int size = tail - head;
            if (size >= 2 && !firstKnown) {
                firstScore = inRange[head].newScore().orElseThrow();
                firstKnown = true;
            }
            int change = size < 2 ? 0 : inRange[tail - 1].newScore().orElseThrow() - firstScore;
            // The reason is worded only where it is read (a step, the walk's end), not at every point.
            AlertLevel now = latest == null ? AlertLevel.NONE : rules.level(latest, change);
            if (now != level) {
                if (steps == null) {
                    steps = new ArrayList<>(2);
                }
                // Only an expiry's detection lists the scores in range; an event's lists the event itself.
                steps.add(new Step(at, level, now, reasonOf(now, latest, change), event,
                        event == null ? List.of(Arrays.copyOfRange(inRange, head, tail)) : List.of()));
                since = at;
                level = now;
            } else if (since == null && event != null) {
                since = at; // SPEC §7: a level that never changed began with the first score
            }
            walked = true;
            lastChange = change;
        }
        if (walked) {
            reason = reasonOf(level, latest, lastChange);
        }
        Instant end = asOf.isAfter(from.at()) ? asOf : from.at();
        List<Event> endRange = head == 0 && tail == held.size() ? held : List.of(Arrays.copyOfRange(inRange, head, tail));
        return new Result(steps == null ? List.of() : List.copyOf(steps),
                new Resume(end, level, reason, since, latest, endRange, recentAfter(from.recentScores(), events)));
    }

    /** The scores of {@code scores} in {@code (after, asOf]}, in their order: the list itself when all of them are. */
    private static List<Event> within(List<Event> scores, Instant after, Instant asOf) {
        List<Event> events = null;
        for (int i = 0; i < scores.size(); i++) {
            Event score = scores.get(i);
            Instant t = score.eventTimestamp();
            boolean in = t.isAfter(after) && !t.isAfter(asOf);
            if (events == null && !in) {
                events = new ArrayList<>(scores.subList(0, i));
            } else if (events != null && in) {
                events.add(score);
            }
        }
        return events == null ? scores : events;
    }

    /** The trend's last scores after {@code walked}: the last of {@code recent} followed by theirs, at most the trend's points. */
    private List<Integer> recentAfter(List<Integer> recent, List<Event> walked) {
        if (walked.isEmpty()) {
            return recent;
        }
        int points = rules.trendPoints();
        int fromWalked = Math.min(points, walked.size());
        int fromRecent = Math.min(recent.size(), points - fromWalked);
        Integer[] last = new Integer[fromRecent + fromWalked];
        for (int i = 0; i < fromRecent; i++) {
            last[i] = recent.get(recent.size() - fromRecent + i);
        }
        for (int i = 0; i < fromWalked; i++) {
            last[fromRecent + i] = walked.get(walked.size() - fromWalked + i).newScore().orElseThrow();
        }
        return List.of(last);
    }

    /** {@link EngagementRules#levelOf}'s reason for a level already judged. */
    private String reasonOf(AlertLevel level, Integer latest, int change) {
        if (latest == null) {
            return null;
        }
        int score = latest;
        if (score < 0 || score > 100 || change < -100 || change > 100) {
            return rules.reason(level, score, change);
        }
        // Levels change often, but over few distinct (level, score, change) triples: each is worded once.
        // A race between lanes sharing this history only words a reason twice; strings are immutable.
        if (reasons == null) {
            reasons = new String[AlertLevel.values().length * 101 * 201];
        }
        int i = (level.ordinal() * 101 + score) * 201 + change + 100;
        String reason = reasons[i];
        if (reason == null) {
            reason = rules.reason(level, score, change);
            reasons[i] = reason == null ? NO_REASON : reason;
            return reason;
        }
        return reason == NO_REASON ? null : reason;
    }

    /** Marks a triple whose reason is null, so it is not worded again. */
    private static final String NO_REASON = new String("");

    /** Reasons by (level, score 0..100, change −100..100), filled as they are first needed; null until one is. */
    private String[] reasons;

    /**
     * When the first score in range at {@code at} leaves the short range, in epoch milliseconds rounded down
     * ({@link EpochMillis#floor}); {@link Long#MAX_VALUE} when none is in range, or when it would leave beyond the
     * last instant. Every other score in range leaves at or after it.
     */
    public long firstLeavesMillis(Resume at) {
        if (at.inRange().isEmpty()) {
            return Long.MAX_VALUE;
        }
        try {
            return EpochMillis.floor(at.inRange().get(0).eventTimestamp().plus(rules.shortRange()));
        } catch (java.time.DateTimeException e) {
            return Long.MAX_VALUE; // a range longer than any instant can reach: no stream time gets there
        }
    }

    /** None of the scores in range at {@code from} leaves it by {@code asOf}. */
    private boolean noneLeavesRange(Instant asOf, Resume from) {
        // In SPEC §7 order, so the first score in range is the first to leave it.
        return from.inRange().isEmpty() || from.inRange().get(0).eventTimestamp().plus(rules.shortRange()).isAfter(asOf);
    }

    /**
     * The distinct instants in {@code (from.at, asOf]} at which a score in range at {@code from}, or one of
     * {@code events}, leaves the range, in order. Scores in range are in SPEC §7 order and all lie before the new
     * ones, so their expiries come first and the scan stops at the first one after {@code asOf} (most walks read
     * one score there, not every score in range). The new scores are checked for order, and sorted if need be.
     */
    private Instant[] expiries(Resume from, List<Event> events, Instant asOf) {
        List<Event> held = from.inRange();
        Instant[] expiries = new Instant[held.size() + events.size()];
        int n = 0;
        Instant after = from.at();
        for (Event score : held) {
            Instant expiry = score.eventTimestamp().plus(rules.shortRange());
            if (expiry.isAfter(asOf)) {
                break; // every later score leaves later still
            }
            if (expiry.isAfter(after)) {
                expiries[n++] = expiry;
            }
        }
        boolean sorted = true;
        for (Event score : events) {
            Instant expiry = score.eventTimestamp().plus(rules.shortRange());
            if (expiry.isAfter(after) && !expiry.isAfter(asOf)) {
                sorted &= n == 0 || !expiry.isBefore(expiries[n - 1]);
                expiries[n++] = expiry;
            }
        }
        if (!sorted) {
            Arrays.sort(expiries, 0, n);
        }
        // Distinct, as one point per instant: equal expiries are adjacent now.
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (distinct == 0 || !expiries[i].equals(expiries[distinct - 1])) {
                expiries[distinct++] = expiries[i];
            }
        }
        return distinct == expiries.length ? expiries : Arrays.copyOf(expiries, distinct);
    }
}
