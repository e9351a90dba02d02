package dev.pulse.pipeline;

import dev.pulse.stream.window.Aggregate;
import dev.pulse.stream.window.CounterKey;
import dev.pulse.stream.window.CounterRow;
import dev.pulse.stream.window.Window;
import dev.pulse.stream.window.WindowSnapshot;
import dev.pulse.stream.window.WindowSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a family's {@link WindowSnapshot}, a part of its {@code family_operator_state}
 * (SPEC §4). No version byte of its own: the enclosing encoding carries one.
 * <p>
 * Layout: a presence byte (0: no window state, 1: a snapshot follows), then the open rows, the count
 * events and the closed windows, each list as an {@code int} count and its items. The family id is not
 * repeated: every key of a snapshot is the snapshot's family. Specs travel as their configuration text
 * ({@link WindowSpec#toString()}, read with {@link WindowSpec#parse}), instants as epoch milliseconds
 * (event times and window bounds have millisecond precision, SPEC §7), decimals as strings that
 * {@link BigDecimal#BigDecimal(String)} reads back with their scale, nullable values behind a presence flag.
 */
final class WindowSnapshotCodec {

    private WindowSnapshotCodec() {
    }

    /** Writes {@code snapshot}; null (the family has no window state) is written as absent. */
    static void write(DataOutputStream out, WindowSnapshot snapshot) throws IOException {
        if (snapshot == null) {
            out.writeBoolean(false);
            return;
        }
        out.writeBoolean(true);
        out.writeInt(snapshot.openRows().size());
        for (CounterRow row : snapshot.openRows()) {
            writeKey(out, snapshot.familyId(), row.key());
            Aggregate aggregate = row.aggregate();
            out.writeLong(aggregate.eventCount());
            out.writeBoolean(aggregate.hasValues());
            if (aggregate.hasValues()) {
                writeDecimal(out, aggregate.sum());
                writeDecimal(out, aggregate.min());
                writeDecimal(out, aggregate.max());
            }
            out.writeBoolean(row.isFinal());
        }
        out.writeInt(snapshot.countEvents().size());
        for (WindowSnapshot.CountEvent event : snapshot.countEvents()) {
            out.writeUTF(event.spec().toString());
            out.writeUTF(event.eventType());
            out.writeLong(event.time().toEpochMilli());
            out.writeUTF(event.eventId());
            out.writeBoolean(event.value() != null);
            if (event.value() != null) {
                writeDecimal(out, event.value());
            }
        }
        out.writeInt(snapshot.closed().size());
        for (WindowSnapshot.Closed closed : snapshot.closed()) {
            writeKey(out, snapshot.familyId(), closed.key());
            out.writeBoolean(closed.lastEventId() != null);
            if (closed.lastEventId() != null) {
                out.writeUTF(closed.lastEventId());
            }
        }
    }

    /**
     * Reads what {@link #write} wrote for {@code familyId}; null when it was written absent.
     *
     * @throws IllegalStateException naming the family when the bytes are not a snapshot (a count that is
     *                               negative or exceeds the bytes left, an unreadable spec or decimal)
     * @throws IOException           when the input ends early
     */
    static WindowSnapshot read(DataInputStream in, String familyId) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        try {
            int rowCount = count(in, familyId, "open rows");
            List<CounterRow> openRows = new ArrayList<>(rowCount);
            for (int i = 0; i < rowCount; i++) {
                CounterKey key = readKey(in, familyId);
                long eventCount = in.readLong();
                Aggregate aggregate = in.readBoolean()
                        ? new Aggregate(eventCount, readDecimal(in), readDecimal(in), readDecimal(in))
                        : Aggregate.countOnly(eventCount);
                openRows.add(new CounterRow(key, aggregate, in.readBoolean()));
            }
            int eventCount = count(in, familyId, "count events");
            List<WindowSnapshot.CountEvent> countEvents = new ArrayList<>(eventCount);
            for (int i = 0; i < eventCount; i++) {
                String specText = in.readUTF();
                if (!(WindowSpec.parse(specText) instanceof WindowSpec.Count spec)) {
                    throw corrupt(familyId, "count event of non-count window spec " + specText);
                }
                String eventType = in.readUTF();
                Instant time = Instant.ofEpochMilli(in.readLong());
                String eventId = in.readUTF();
                BigDecimal value = in.readBoolean() ? readDecimal(in) : null;
                countEvents.add(new WindowSnapshot.CountEvent(spec, eventType, time, eventId, value));
            }
            int closedCount = count(in, familyId, "closed windows");
            List<WindowSnapshot.Closed> closed = new ArrayList<>(closedCount);
            for (int i = 0; i < closedCount; i++) {
                CounterKey key = readKey(in, familyId);
                closed.add(new WindowSnapshot.Closed(key, in.readBoolean() ? in.readUTF() : null));
            }
            return new WindowSnapshot(familyId, openRows, countEvents, closed);
        } catch (IllegalArgumentException e) {
            // A record's own rule (window start after end, min > max, a spec that does not parse, a
            // malformed decimal): the bytes were not written by write().
            throw corrupt(familyId, e.getMessage());
        }
    }

    private static void writeKey(DataOutputStream out, String familyId, CounterKey key) throws IOException {
        if (!key.familyId().equals(familyId)) {
            throw new IllegalArgumentException("window snapshot of family " + familyId + " holds a key of family "
                    + key.familyId() + ": " + key);
        }
        out.writeUTF(key.spec().toString());
        out.writeUTF(key.eventType());
        out.writeLong(key.window().start().toEpochMilli());
        out.writeLong(key.window().end().toEpochMilli());
    }

    private static CounterKey readKey(DataInputStream in, String familyId) throws IOException {
        WindowSpec spec = WindowSpec.parse(in.readUTF());
        String eventType = in.readUTF();
        Window window = new Window(Instant.ofEpochMilli(in.readLong()), Instant.ofEpochMilli(in.readLong()));
        return new CounterKey(familyId, eventType, spec, window);
    }

    /**
     * Plain notation keeps the scale for scale ≥ 0 ({@code 450.00}); a negative scale (an amount sent as
     * {@code 1e3}) would come back as scale 0 from plain text, so it keeps its exponent ({@code 1E+3}).
     */
    private static void writeDecimal(DataOutputStream out, BigDecimal value) throws IOException {
        out.writeUTF(value.scale() < 0 ? value.toString() : value.toPlainString());
    }

    private static BigDecimal readDecimal(DataInputStream in) throws IOException {
        return new BigDecimal(in.readUTF()); // NumberFormatException is an IllegalArgumentException
    }

    /** Every item takes more than one byte, so a count above the bytes left is corruption, not a big list. */
    private static int count(DataInputStream in, String familyId, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw corrupt(familyId, n + " " + what + " with " + in.available() + " bytes left");
        }
        return n;
    }

    private static IllegalStateException corrupt(String familyId, String detail) {
        return new IllegalStateException("corrupt window state of family " + familyId + ": " + detail);
    }
}
