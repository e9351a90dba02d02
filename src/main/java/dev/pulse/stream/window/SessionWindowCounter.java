package dev.pulse.stream.window;

import dev.pulse.event.Event;
import dev.pulse.stream.time.Watermark;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

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
 * <p>
 * A session is updated in place; one that starts earlier after a merge is a new row (its start is the
 * stored row's key), so a session's start never changes.
 */
final class SessionWindowCounter implements FamilyCounter {

    private static final Session[] NONE = {};

    /** What every family's counter of one spec shares, made once per partition rather than held per counter. */
    static final class Shape implements FamilyCounter.Factory {

        private final WindowSpec.Session spec;
        private final long gapMs;
        private final long latenessMs;

        Shape(WindowSpec.Session spec, long latenessMs) {
            this.spec = spec;
            this.gapMs = spec.gap().toMillis();
            this.latenessMs = latenessMs;
        }

        @Override
        public FamilyCounter newCounter(String familyId) {
            return new SessionWindowCounter(familyId, this);
        }
    }

    private final String familyId;
    private final Shape shape;
    /** Open sessions by first event time; they are disjoint, so this is also their order by end. */
    private Session[] sessions = NONE;
    private int count;
    /**
     * The latest closed session. Kept for good: an event before its end, however late, would have merged
     * with it (or lies before it, in a closed window), and open sessions may still grow backwards towards
     * it, so no watermark makes this bound redundant.
     */
    private boolean closedAny;
    /** The latest closed session's window, in epoch milliseconds, as are all sessions' (no Window kept per family). */
    private long lastClosedStart;
    private long lastClosedEnd;

    SessionWindowCounter(String familyId, Shape shape) {
        this.familyId = familyId;
        this.shape = shape;
    }

    @Override
    public void onEvent(Event event, BigDecimal value, long w, Watermark watermark, ChangeSink out) {
        long t = event.eventTimestamp().toEpochMilli();
        long gapMs = shape.gapMs;
        WindowSpec.Session spec = shape.spec;
        long aloneEnd = t + gapMs;
        if (closedAny && t < lastClosedEnd) {
            Window missed = lastClosedStart < aloneEnd ? lastClosed() : Window.ofMillis(t, aloneEnd);
            out.late(event, spec, missed, watermark);
            return;
        }
        // Joined: the open sessions whose window overlaps [t, t + gap), i.e. first < t + gap and last + gap > t.
        int highest = count - 1;
        while (highest >= 0 && sessions[highest].first >= aloneEnd) {
            highest--;
        }
        int below = highest;
        while (below >= 0 && sessions[below].last + gapMs > t) {
            below--; // disjoint and ordered: every earlier session ends earlier still
        }
        int joined = highest - below;
        if (joined == 0 && w >= Millis.plus(aloneEnd, shape.latenessMs)) {
            out.late(event, spec, Window.ofMillis(t, aloneEnd), watermark);
            return;
        }
        long first = joined == 0 ? t : Math.min(t, sessions[below + 1].first);
        long last = joined == 0 ? t : Math.max(t, sessions[highest].last);
        long events = 1;
        for (int i = below + 1; i <= highest; i++) {
            events += sessions[i].events;
        }
        // The survivor keeps the earliest start, which is its stored row's key: upserted, not removed.
        Session merged = joined > 0 && sessions[below + 1].first == first ? sessions[below + 1] : new Session(familyId, shape, first);
        for (int i = highest; i > below; i--) {
            if (sessions[i] != merged) {
                out.removed(sessions[i]);
            }
        }
        merged.update(last, events, w >= last + gapMs);
        replace(below + 1, joined, merged);
        out.updated(merged);
    }

    /** Puts {@code session} in place of the {@code length} sessions from {@code from} (inserts it when 0). */
    private void replace(int from, int length, Session session) {
        if (length == 0) {
            if (count == sessions.length) {
                sessions = Arrays.copyOf(sessions, Math.max(2, count * 2));
            }
            System.arraycopy(sessions, from, sessions, from + 1, count - from);
            count++;
        } else if (length > 1) {
            System.arraycopy(sessions, from + length, sessions, from + 1, count - from - length);
            Arrays.fill(sessions, count - length + 1, count, null);
            count -= length - 1;
        }
        sessions[from] = session;
    }

    @Override
    public void onWatermark(long w, ChangeSink out) {
        long gapMs = shape.gapMs;
        long latenessMs = shape.latenessMs;
        int closed = 0;
        for (int i = 0; i < count; i++) {
            Session session = sessions[i];
            long end = session.last + gapMs;
            if (w < end) {
                break;
            }
            if (!session.finalEmitted) {
                session.finalEmitted = true;
                out.finalized(session);
            }
            if (w >= Millis.plus(end, latenessMs)) {
                closed = i + 1; // one lateness for all, ordered by end: the closed ones are a prefix
                closedAny = true;
                lastClosedStart = session.first;
                lastClosedEnd = end;
            }
        }
        if (closed == count) {
            sessions = NONE;   // a quiet family keeps its counter for good: not an array of nulls with it
            count = 0;
        } else if (closed > 0) {
            System.arraycopy(sessions, closed, sessions, 0, count - closed);
            Arrays.fill(sessions, count - closed, count, null);
            count -= closed;
        }
    }

    @Override
    public long nextDeadline() {
        long gapMs = shape.gapMs;
        long latenessMs = shape.latenessMs;
        long next = Millis.NEVER;
        for (int i = 0; i < count; i++) {
            long end = sessions[i].last + gapMs;
            if (!sessions[i].finalEmitted) {
                return Math.min(next, end);
            }
            next = Math.min(next, Millis.plus(end, latenessMs));
        }
        return next;
    }

    @Override
    public boolean isEmpty() {
        return count == 0 && !closedAny;
    }

    @Override
    public void snapshot(List<CounterRow> openRows, List<WindowSnapshot.CountEvent> countEvents, List<WindowSnapshot.Closed> closed) {
        for (int i = 0; i < count; i++) {
            openRows.add(sessions[i].row());
        }
        if (closedAny) {
            closed.add(new WindowSnapshot.Closed(key(familyId, shape, lastClosed()), null));
        }
    }

    @Override
    public void restore(WindowSnapshot snapshot, long w) {
        for (CounterRow row : snapshot.openRows()) {
            if (row.key().spec().equals(shape.spec)) {
                Window window = row.key().window();
                Session session = new Session(familyId, shape, window.start().toEpochMilli());
                session.update(window.end().toEpochMilli() - shape.gapMs, row.eventCount(), row.isFinal());
                int at = 0;
                while (at < count && sessions[at].first < session.first) {
                    at++;
                }
                replace(at, at < count && sessions[at].first == session.first ? 1 : 0, session);
            }
        }
        for (WindowSnapshot.Closed mark : snapshot.closed()) {
            if (mark.key().spec().equals(shape.spec)) {
                closedAny = true;
                lastClosedStart = mark.key().window().start().toEpochMilli();
                lastClosedEnd = mark.key().window().end().toEpochMilli();
            }
        }
    }

    private Window lastClosed() {
        return Window.ofMillis(lastClosedStart, lastClosedEnd);
    }

    private static CounterKey key(String familyId, Shape shape, Window window) {
        return new CounterKey(familyId, CounterKey.ALL_TYPES, shape.spec, window);
    }

    /** Reads the open sessions, as an event's count will ({@link WindowCounter#prefetch}); answers a sum of their ends. */
    long prefetch() {
        long sink = 0;
        for (int i = 0; i < count; i++) {
            sink += sessions[i].last;
        }
        return sink;
    }

    /**
     * One session: its first and last event times and how many events it has. Static, holding its family id and shape
     * itself: taking the batch makes its key, and reaching them through the counter would be a cache miss more per row.
     */
    private static final class Session extends LiveRow {

        private final String familyId;
        private final Shape shape;
        final long first;
        long last;
        long events;
        boolean finalEmitted;
        /** The key as of {@link #last}; null after it moved. */
        private CounterKey key;

        Session(String familyId, Shape shape, long first) {
            this.familyId = familyId;
            this.shape = shape;
            this.first = first;
        }

        void update(long last, long events, boolean finalEmitted) {
            if (last != this.last) {
                key = null;
            }
            this.last = last;
            this.events = events;
            this.finalEmitted = finalEmitted;
        }

        @Override
        CounterKey key() {
            if (key == null) {
                key = SessionWindowCounter.key(familyId, shape, Window.ofMillis(first, last + shape.gapMs));
            }
            return key;
        }

        @Override
        String familyId() {
            return familyId;
        }

        @Override
        CounterRow row(long w) {
            return new CounterRow(key(), events, null, null, null, finalEmitted || w >= last + shape.gapMs);
        }
    }
}
