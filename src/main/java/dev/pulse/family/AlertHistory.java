package dev.pulse.family;

import dev.pulse.event.Event;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * A family's alert level through event time (SPEC §3.1, §7), computed from its scores up to
 * {@code asOf}. The level changes at two kinds of points: a score event (a new latest score, a new
 * 7-day change) and an expiry, the instant {@code t + 7d} at which a score leaves the range. At one
 * instant expiries come before events, and events of one instant come one by one in event-id order,
 * each one counting. A pure function of the set of scores, so the same scores give the same history
 * whatever order they arrived in.
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

    /** Where the walk starts: the level (and since when) before the first score it is given. */
    public record Start(AlertLevel level, Instant since, Integer latestScore) {
        public static final Start NONE = new Start(AlertLevel.NONE, null, null);
    }

    /** The result: every change of level, and the level in force at {@code asOf}. */
    public record Result(List<Step> steps, AlertLevel level, String reason, Instant since, Integer latestScore) {

        /** Where a later walk over the scores after {@code asOf} starts from. */
        public Start startAt() {
            return new Start(level, since, latestScore);
        }
    }

    /**
     * @param scores the family's score events in SPEC §7 order (event time, then id)
     * @param asOf   the partition's stream time: points after it have not happened yet
     */
    public Result walk(List<Event> scores, Instant asOf, Start start) {
        List<Point> points = points(scores, asOf);
        Deque<Event> inRange = new ArrayDeque<>();
        Integer latest = start.latestScore();
        AlertLevel level = start.level();
        String reason = null;
        Instant since = start.since();
        List<Step> steps = new ArrayList<>();
        for (Point point : points) {
            if (point.event != null) {
                inRange.addLast(point.event);
                latest = point.event.newScore().orElseThrow();
            } else {
                Instant horizon = point.at.minus(rules.shortRange());
                while (!inRange.isEmpty() && !inRange.peekFirst().eventTimestamp().isAfter(horizon)) {
                    inRange.removeFirst();
                }
            }
            int change = inRange.size() < 2 ? 0
                    : inRange.peekLast().newScore().orElseThrow() - inRange.peekFirst().newScore().orElseThrow();
            EngagementRules.Level now = rules.levelOf(latest, change);
            boolean firstScore = since == null && point.event != null;
            if (now.level() != level || firstScore) {
                if (now.level() != level) {
                    // Only an expiry's detection lists the scores in range; an event's lists the event itself.
                    steps.add(new Step(point.at, level, now.level(), now.reason(), point.event,
                            point.event == null ? List.copyOf(inRange) : List.of()));
                }
                since = point.at;
                level = now.level();
            }
            reason = now.reason();
        }
        if (points.isEmpty() && latest != null) {
            reason = rules.levelOf(latest, 0).reason();
        }
        return new Result(List.copyOf(steps), level, reason, since, latest);
    }

    private List<Point> points(List<Event> scores, Instant asOf) {
        List<Point> points = new ArrayList<>(scores.size() * 2);
        Instant lastExpiry = null;
        for (Event score : scores) {
            if (!score.eventTimestamp().isAfter(asOf)) {
                points.add(new Point(score.eventTimestamp(), score));
            }
        }
        List<Instant> expiries = new ArrayList<>();
        for (Event score : scores) {
            Instant expiry = score.eventTimestamp().plus(rules.shortRange());
            if (!expiry.isAfter(asOf) && !expiry.equals(lastExpiry)) {
                expiries.add(expiry);
                lastExpiry = expiry;
            }
        }
        expiries.forEach(e -> points.add(new Point(e, null)));
        points.sort(Point.ORDER);
        return points;
    }

    /** A score event, or an expiry instant (event null). */
    private record Point(Instant at, Event event) {
        static final Comparator<Point> ORDER = Comparator.comparing(Point::at)
                .thenComparing(p -> p.event == null ? 0 : 1)                  // expiries first
                .thenComparing(p -> p.event == null ? "" : p.event.eventId());
    }
}
