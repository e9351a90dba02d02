package dev.pulse.pipeline;

import dev.pulse.engine.FamilyHead;
import dev.pulse.engine.FamilySnapshot;
import dev.pulse.event.Event;
import dev.pulse.event.Validated;
import dev.pulse.family.AlertHistory;
import dev.pulse.family.AlertLevel;
import dev.pulse.rules.FamilyRulesState;
import dev.pulse.ingest.EventJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a family's state (SPEC §4), in two parts: its {@link FamilyHead}
 * ({@code family_operator_state.state}: a version byte, the figures, the carry with its scores, the rule state
 * and the windows), rewritten whole when the family changes, and each retained event apart
 * ({@code family_retained_events}, {@link StoredEventCodec}), written once when it is retained and deleted when
 * it is pruned. So a checkpoint writes what changed, not the family's whole history.
 * <p>
 * Heads of version 4 (before risk rules: no risk carry, read as above no threshold) and of version 3, which held
 * every retained event as its wire JSON, are still read (whole snapshots, the events inside); they are read through the same validation as the log, so that a restored event equals the
 * original field by field. Stateless apart from the JSON reader; thread-safe.
 */
final class FamilySnapshotCodec {

    /** Version 5: version 4 and, at its end, the risk rules above their threshold at the risk's frozen horizon. */
    private static final byte VERSION = 5;
    /** Version 4: the head without the retained events, and the carry's events in binary. Read, never written. */
    private static final byte HEAD_VERSION = 4;
    /** Version 3: the whole snapshot, every event as wire JSON. Read, never written. */
    private static final byte WHOLE_SNAPSHOT_VERSION = 3;
    private static final long NO_TIME = Long.MIN_VALUE;

    private final EventJson json;
    private final StoredEventCodec events = new StoredEventCodec();

    FamilySnapshotCodec(EventJson json) {
        this.json = json;
    }

    byte[] encodeHead(FamilyHead head) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + head.carry().inRange().size() * 48);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(head.eventsProcessed());
            writeTime(out, head.lastEventTimestamp());
            AlertHistory.Resume carry = head.carry();
            writeTime(out, carry.at().equals(Instant.MIN) ? null : carry.at());
            out.writeByte(carry.level().rank());
            out.writeUTF(carry.reason() == null ? "" : carry.reason());
            writeTime(out, carry.since());
            out.writeInt(carry.latestScore() == null ? -1 : carry.latestScore());
            out.writeInt(carry.inRange().size());
            for (Event e : carry.inRange()) {
                events.write(out, e);
            }
            out.writeInt(carry.recentScores().size());
            for (int score : carry.recentScores()) {
                out.writeInt(score);
            }
            writeTime(out, head.frozenBefore().equals(Instant.MIN) ? null : head.frozenBefore());
            writeTime(out, head.asOf());
            writeRules(out, head.rules());
            WindowSnapshotCodec.write(out, head.windows());
            out.writeInt(head.riskAbove().size());
            for (String rule : new java.util.TreeSet<>(head.riskAbove())) {
                out.writeUTF(rule);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The row body of a retained event ({@code family_retained_events.event}). */
    byte[] encodeEvent(Event event) {
        return events.body(event);
    }

    /** A retained event from its row. */
    Event decodeEvent(String familyId, String eventId, long eventMillis, byte[] body) {
        return events.fromRow(familyId, eventId, eventMillis, body);
    }

    /** Whether {@code encoded} is a head of version 3, which holds the family's retained events itself. */
    static boolean holdsEvents(byte[] encoded) {
        return encoded.length > 0 && encoded[0] == WHOLE_SNAPSHOT_VERSION;
    }

    /**
     * The family's whole state from its stored head and its retained events (in any order). A version-3 head
     * holds the events itself, and {@code retained} must then be empty.
     */
    FamilySnapshot decode(String familyId, byte[] head, List<Event> retained) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(head))) {
            byte version = in.readByte();
            if (version != VERSION && version != HEAD_VERSION && version != WHOLE_SNAPSHOT_VERSION) {
                throw new IllegalStateException("state of family " + familyId + " has encoding version " + version
                        + ", this Pulse reads " + VERSION + ", " + HEAD_VERSION + " and " + WHOLE_SNAPSHOT_VERSION
                        + " (rebuild with scripts/run --fresh)");
            }
            boolean whole = version == WHOLE_SNAPSHOT_VERSION;
            if (whole && !retained.isEmpty()) {
                throw new IllegalStateException("state of family " + familyId + " holds its events, and " + retained.size()
                        + " more are stored apart");
            }
            long processed = in.readLong();
            Instant last = readTime(in);
            Instant carryAt = readTime(in);
            AlertLevel level = AlertLevel.values()[in.readByte()];
            String reason = in.readUTF();
            Instant since = readTime(in);
            int latest = in.readInt();
            List<Event> inRange = whole ? readJsonEvents(in, familyId) : readEvents(in, familyId);
            int recentCount = in.readInt();
            if (recentCount < 0 || recentCount > 1000) {
                throw new IllegalStateException("corrupt state of family " + familyId + ": " + recentCount + " recent scores");
            }
            List<Integer> recent = new ArrayList<>(recentCount);
            for (int i = 0; i < recentCount; i++) {
                recent.add(in.readInt());
            }
            Instant frozen = readTime(in);
            List<Event> events = whole ? readJsonEvents(in, familyId) : retained;
            Instant asOf = readTime(in);
            FamilyRulesState rules = readRules(in, familyId);
            var windows = WindowSnapshotCodec.read(in, familyId);
            java.util.Set<String> riskAbove = java.util.Set.of();
            if (version == VERSION) {
                int n = count(in, familyId);
                riskAbove = new java.util.HashSet<>(n);
                for (int i = 0; i < n; i++) {
                    riskAbove.add(in.readUTF());
                }
            }
            if (in.available() != 0) {
                throw new IllegalStateException("corrupt state of family " + familyId + ": " + in.available() + " bytes after its end");
            }
            AlertHistory.Resume carry = new AlertHistory.Resume(carryAt == null ? Instant.MIN : carryAt, level,
                    reason.isEmpty() ? null : reason, since, latest < 0 ? null : latest, inRange, recent);
            return new FamilySnapshot(familyId, events, processed, last, carry, frozen == null ? Instant.MIN : frozen, asOf, rules,
                    windows, riskAbove);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt state of family " + familyId, e);
        }
    }

    private static void writeRules(DataOutputStream out, FamilyRulesState rules) throws IOException {
        writeTime(out, rules.frozenBefore().equals(Instant.MIN) ? null : rules.frozenBefore());
        out.writeInt(rules.histories().size());
        for (FamilyRulesState.History h : rules.histories()) {
            out.writeUTF(h.pattern());
            out.writeUTF(h.baseSum().toPlainString());
            out.writeLong(h.baseCount());
            out.writeInt(h.buckets().size());
            for (FamilyRulesState.Bucket b : h.buckets()) {
                out.writeLong(b.at().toEpochMilli());
                out.writeUTF(b.sum().toPlainString());
                out.writeLong(b.count());
            }
        }
        out.writeInt(rules.pending().size());
        for (FamilyRulesState.PendingAbsence p : rules.pending()) {
            out.writeUTF(p.pattern());
            out.writeUTF(p.anchorEventId());
            out.writeLong(p.anchorTime().toEpochMilli());
            out.writeLong(p.deadline().toEpochMilli());
        }
    }

    private static FamilyRulesState readRules(DataInputStream in, String familyId) throws IOException {
        Instant frozen = readTime(in);
        int histories = count(in, familyId);
        List<FamilyRulesState.History> hs = new ArrayList<>(histories);
        for (int i = 0; i < histories; i++) {
            String pattern = in.readUTF();
            java.math.BigDecimal baseSum = new java.math.BigDecimal(in.readUTF());
            long baseCount = in.readLong();
            int buckets = count(in, familyId);
            List<FamilyRulesState.Bucket> bs = new ArrayList<>(buckets);
            for (int j = 0; j < buckets; j++) {
                bs.add(new FamilyRulesState.Bucket(Instant.ofEpochMilli(in.readLong()), new java.math.BigDecimal(in.readUTF()), in.readLong()));
            }
            hs.add(new FamilyRulesState.History(pattern, baseSum, baseCount, bs));
        }
        int pending = count(in, familyId);
        List<FamilyRulesState.PendingAbsence> ps = new ArrayList<>(pending);
        for (int i = 0; i < pending; i++) {
            ps.add(new FamilyRulesState.PendingAbsence(in.readUTF(), in.readUTF(), Instant.ofEpochMilli(in.readLong()),
                    Instant.ofEpochMilli(in.readLong())));
        }
        return new FamilyRulesState(familyId, frozen == null ? Instant.MIN : frozen, hs, ps);
    }

    private static int count(DataInputStream in, String familyId) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IllegalStateException("corrupt state of family " + familyId + ": count " + n);
        }
        return n;
    }

    private List<Event> readEvents(DataInputStream in, String familyId) throws IOException {
        int n = count(in, familyId);
        List<Event> read = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            try {
                read.add(events.read(in, familyId));
            } catch (RuntimeException e) {
                throw new IllegalStateException("corrupt state of family " + familyId + ": " + e.getMessage(), e);
            }
        }
        return read;
    }

    /** Version 3's events: each as its wire JSON. */
    private List<Event> readJsonEvents(DataInputStream in, String familyId) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IllegalStateException("corrupt state of family " + familyId + ": " + n + " events");
        }
        List<Event> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int length = in.readInt();
            if (length < 0 || length > in.available()) {
                throw new IllegalStateException("corrupt state of family " + familyId + ": event of " + length + " bytes");
            }
            Validated validated = json.decode(in.readNBytes(length));
            if (!(validated instanceof Validated.Valid valid)) {
                throw new IllegalStateException("stored event of " + familyId + " no longer validates: " + validated);
            }
            events.add(valid.event());
        }
        return events;
    }

    private static void writeTime(DataOutputStream out, Instant t) throws IOException {
        out.writeLong(t == null ? NO_TIME : t.toEpochMilli());
    }

    private static Instant readTime(DataInputStream in) throws IOException {
        long ms = in.readLong();
        return ms == NO_TIME ? null : Instant.ofEpochMilli(ms);
    }
}
