package dev.pulse.pipeline;

import dev.pulse.engine.FamilySnapshot;
import dev.pulse.event.Event;
import dev.pulse.event.EventType;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of a {@link FamilySnapshot} ({@code family_operator_state.state}): a version byte,
 * the figures, then each retained event as its wire JSON, read back through the same validation as
 * the log so that a restored event equals the original field by field.
 */
final class FamilySnapshotCodec {

    private static final byte VERSION = 3;
    private static final long NO_TIME = Long.MIN_VALUE;

    private final EventJson json;

    FamilySnapshotCodec(EventJson json) {
        this.json = json;
    }

    byte[] encode(FamilySnapshot snapshot) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + snapshot.events().size() * 160);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(snapshot.eventsProcessed());
            writeTime(out, snapshot.lastEventTimestamp());
            AlertHistory.Resume carry = snapshot.carry();
            writeTime(out, carry.at().equals(Instant.MIN) ? null : carry.at());
            out.writeByte(carry.level().rank());
            out.writeUTF(carry.reason() == null ? "" : carry.reason());
            writeTime(out, carry.since());
            out.writeInt(carry.latestScore() == null ? -1 : carry.latestScore());
            writeEvents(out, carry.inRange());
            out.writeInt(carry.recentScores().size());
            for (int score : carry.recentScores()) {
                out.writeInt(score);
            }
            writeTime(out, snapshot.frozenBefore().equals(Instant.MIN) ? null : snapshot.frozenBefore());
            writeEvents(out, snapshot.events());
            writeTime(out, snapshot.asOf());
            writeRules(out, snapshot.rules());
            WindowSnapshotCodec.write(out, snapshot.windows());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    FamilySnapshot decode(String familyId, byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("state of family " + familyId + " has encoding version " + version
                        + ", this Pulse reads " + VERSION + " (rebuild with scripts/run --fresh)");
            }
            long processed = in.readLong();
            Instant last = readTime(in);
            Instant carryAt = readTime(in);
            AlertLevel level = AlertLevel.values()[in.readByte()];
            String reason = in.readUTF();
            Instant since = readTime(in);
            int latest = in.readInt();
            List<Event> inRange = readEvents(in, familyId);
            int recentCount = in.readInt();
            if (recentCount < 0 || recentCount > 1000) {
                throw new IllegalStateException("corrupt state of family " + familyId + ": " + recentCount + " recent scores");
            }
            List<Integer> recent = new ArrayList<>(recentCount);
            for (int i = 0; i < recentCount; i++) {
                recent.add(in.readInt());
            }
            Instant frozen = readTime(in);
            List<Event> events = readEvents(in, familyId);
            Instant asOf = readTime(in);
            FamilyRulesState rules = readRules(in, familyId);
            var windows = WindowSnapshotCodec.read(in, familyId);
            AlertHistory.Resume carry = new AlertHistory.Resume(carryAt == null ? Instant.MIN : carryAt, level,
                    reason.isEmpty() ? null : reason, since, latest < 0 ? null : latest, inRange, recent);
            return new FamilySnapshot(familyId, events, processed, last, carry, frozen == null ? Instant.MIN : frozen, asOf, rules,
                    windows);
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

    private void writeEvents(DataOutputStream out, List<Event> events) throws IOException {
        out.writeInt(events.size());
        for (Event e : events) {
            byte[] wire = json.write(wire(e));
            out.writeInt(wire.length);
            out.write(wire);
        }
    }

    private List<Event> readEvents(DataInputStream in, String familyId) throws IOException {
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

    private static Map<String, Object> wire(Event e) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("event_id", e.eventId());
        record.put("event_type", e.eventType());
        record.put("aggregate_id", e.aggregateId());
        record.put("event_timestamp", e.eventTimestamp().toString());
        // A known type's data was read as version 1 on arrival (SPEC §3.6 upcasters), so that is the version it is
        // stored as; read back as version 2 it would be refused for lacking version 2's fields.
        record.put("schema_version", EventType.fromWireName(e.eventType()).isPresent() ? 1 : e.schemaVersion());
        record.put("event_data", e.eventData());
        return record;
    }

    private static void writeTime(DataOutputStream out, Instant t) throws IOException {
        out.writeLong(t == null ? NO_TIME : t.toEpochMilli());
    }

    private static Instant readTime(DataInputStream in) throws IOException {
        long ms = in.readLong();
        return ms == NO_TIME ? null : Instant.ofEpochMilli(ms);
    }
}
