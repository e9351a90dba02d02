package dev.pulse.pipeline;

import dev.pulse.engine.FamilySnapshot;
import dev.pulse.event.Event;
import dev.pulse.event.EventType;
import dev.pulse.family.AlertHistory;
import dev.pulse.ingest.EventJson;
import dev.pulse.rules.FamilyRulesState;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A family's state as Pulse stored it before V8 (encoding version 3: the whole snapshot, every retained event as
 * its wire JSON), written the way that Pulse wrote it: the fixture for reading and converting old state.
 */
final class VersionThreeState {

    private static final long NO_TIME = Long.MIN_VALUE;

    private VersionThreeState() {
    }

    static byte[] encode(FamilySnapshot snapshot, EventJson json) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(3);
            out.writeLong(snapshot.eventsProcessed());
            writeTime(out, snapshot.lastEventTimestamp());
            AlertHistory.Resume carry = snapshot.carry();
            writeTime(out, carry.at().equals(Instant.MIN) ? null : carry.at());
            out.writeByte(carry.level().rank());
            out.writeUTF(carry.reason() == null ? "" : carry.reason());
            writeTime(out, carry.since());
            out.writeInt(carry.latestScore() == null ? -1 : carry.latestScore());
            writeEvents(out, carry.inRange(), json);
            out.writeInt(carry.recentScores().size());
            for (int score : carry.recentScores()) {
                out.writeInt(score);
            }
            writeTime(out, snapshot.frozenBefore().equals(Instant.MIN) ? null : snapshot.frozenBefore());
            writeEvents(out, snapshot.events(), json);
            writeTime(out, snapshot.asOf());
            writeRules(out, snapshot.rules());
            WindowSnapshotCodec.write(out, snapshot.windows());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
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

    private static void writeEvents(DataOutputStream out, List<Event> events, EventJson json) throws IOException {
        out.writeInt(events.size());
        for (Event e : events) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("event_id", e.eventId());
            record.put("event_type", e.eventType());
            record.put("aggregate_id", e.aggregateId());
            record.put("event_timestamp", e.eventTimestamp().toString());
            record.put("schema_version", EventType.fromWireName(e.eventType()).isPresent() ? 1 : e.schemaVersion());
            record.put("event_data", e.eventData());
            byte[] wire = json.write(record);
            out.writeInt(wire.length);
            out.write(wire);
        }
    }

    private static void writeTime(DataOutputStream out, Instant t) throws IOException {
        out.writeLong(t == null ? NO_TIME : t.toEpochMilli());
    }
}
