package dev.pulse.stream.window;

import dev.pulse.event.Event;
import dev.pulse.stream.time.Watermark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Session counters of one family, all event types together: event type {@code *}, event count only
 * (SPEC §2, §7). A session is the maximal run of events whose consecutive gaps are &lt; gap; its window
 * is {@code [first, last + gap)}. Event t joins every session whose window overlaps {@code [t, t + gap)};
 * when it joins two or more, they merge into one that keeps the earliest start, and the others are
 * reported {@link Outcome.Removed}. Sessions are a function of the set of events, not of their order.
 * <p>
 * Lateness: a session is closed (forgotten) when W ≥ end + allowed lateness. An event is late when it
 * would reach a closed session ({@code t < end} of the latest closed one; it cannot change that session,
 * and starting another beside it would split what the complete stream holds as one), or when it joins no
 * open session and its own window {@code [t, t + gap)} is already closed.
 */
final class SessionWindowCounter implements FamilyCounter {

    private final String familyId;
    private final WindowSpec.Session spec;
    private final Duration gap;
    private final Duration allowedLateness;
    /** Open sessions by first event time; they are disjoint, so this is also their order by end. */
    private final NavigableMap<Instant, Session> sessions = new TreeMap<>();
    /**
     * The latest closed session. Kept for good: an event before its end, however late, would have merged
     * with it (or lies before it, in a closed window), and open sessions may still grow backwards towards
     * it, so no watermark makes this bound redundant.
     */
    private Window lastClosed;

    SessionWindowCounter(String familyId, WindowSpec.Session spec, Duration allowedLateness) {
        this.familyId = familyId;
        this.spec = spec;
        this.gap = spec.gap();
        this.allowedLateness = allowedLateness;
    }

    @Override
    public void onEvent(Event event, Watermark watermark, List<Outcome> out) {
        Instant t = event.eventTimestamp();
        Window alone = new Window(t, t.plus(gap));
        if (lastClosed != null && t.isBefore(lastClosed.end())) {
            Window missed = lastClosed.start().isBefore(alone.end()) ? lastClosed : alone;
            out.add(new Outcome.Late(event, spec, missed, watermark));
            return;
        }
        List<Session> joined = joinedBy(t);
        if (joined.isEmpty() && watermark.hasReached(alone.end().plus(allowedLateness))) {
            out.add(new Outcome.Late(event, spec, alone, watermark));
            return;
        }
        Session merged = new Session(t, t, 1, false);
        for (Session session : joined) {
            merged = merged.merge(session);
            sessions.remove(session.first());
        }
        Window window = merged.window(gap);
        merged = merged.withFinal(watermark.hasReached(window.end()));
        for (Session session : joined) {
            // The survivor keeps the earliest start, which is its stored row's key: upserted, not removed.
            if (!session.first().equals(merged.first())) {
                out.add(new Outcome.Removed(key(session.window(gap))));
            }
        }
        sessions.put(merged.first(), merged);
        out.add(new Outcome.Updated(row(merged)));
    }

    /** Open sessions whose window overlaps [t, t + gap): first &lt; t + gap and last + gap &gt; t. */
    private List<Session> joinedBy(Instant t) {
        List<Session> joined = new ArrayList<>(2);
        for (Session session : sessions.headMap(t.plus(gap), false).descendingMap().values()) {
            if (!session.window(gap).end().isAfter(t)) {
                break; // disjoint and ordered: every earlier session ends earlier still
            }
            joined.add(session);
        }
        return joined;
    }

    @Override
    public void onWatermark(Watermark watermark, List<Outcome> out) {
        Iterator<Map.Entry<Instant, Session>> open = sessions.entrySet().iterator();
        while (open.hasNext()) {
            Map.Entry<Instant, Session> entry = open.next();
            Session session = entry.getValue();
            Window window = session.window(gap);
            if (!watermark.hasReached(window.end())) {
                return;
            }
            if (!session.finalEmitted()) {
                entry.setValue(session.withFinal(true));
                out.add(new Outcome.Updated(row(entry.getValue())));
            }
            if (watermark.hasReached(window.end().plus(allowedLateness))) {
                open.remove();
                lastClosed = window;
            }
        }
    }

    @Override
    public Instant nextDeadline() {
        Instant next = null;
        for (Session session : sessions.values()) {
            Instant end = session.window(gap).end();
            if (!session.finalEmitted()) {
                return FamilyCounter.earliest(next, end);
            }
            next = FamilyCounter.earliest(next, end.plus(allowedLateness));
        }
        return next;
    }

    @Override
    public boolean isEmpty() {
        return sessions.isEmpty() && lastClosed == null;
    }

    @Override
    public void snapshot(List<CounterRow> openRows, List<WindowSnapshot.CountEvent> countEvents, List<WindowSnapshot.Closed> closed) {
        sessions.values().forEach(session -> openRows.add(row(session)));
        if (lastClosed != null) {
            closed.add(new WindowSnapshot.Closed(key(lastClosed), null));
        }
    }

    @Override
    public void restore(WindowSnapshot snapshot, Watermark watermark) {
        for (CounterRow row : snapshot.openRows()) {
            if (row.key().spec().equals(spec)) {
                Window window = row.key().window();
                sessions.put(window.start(), new Session(window.start(), window.end().minus(gap),
                        row.aggregate().eventCount(), row.isFinal()));
            }
        }
        for (WindowSnapshot.Closed mark : snapshot.closed()) {
            if (mark.key().spec().equals(spec)) {
                lastClosed = mark.key().window();
            }
        }
    }

    private CounterKey key(Window window) {
        return new CounterKey(familyId, CounterKey.ALL_TYPES, spec, window);
    }

    private CounterRow row(Session session) {
        return new CounterRow(key(session.window(gap)), Aggregate.countOnly(session.count()), session.finalEmitted());
    }

    private record Session(Instant first, Instant last, long count, boolean finalEmitted) {

        Window window(Duration gap) {
            return new Window(first, last.plus(gap));
        }

        Session merge(Session other) {
            return new Session(first.isBefore(other.first) ? first : other.first,
                    last.isAfter(other.last) ? last : other.last, count + other.count, false);
        }

        Session withFinal(boolean isFinal) {
            return new Session(first, last, count, isFinal);
        }
    }
}
