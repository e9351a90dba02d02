package dev.pulse.projection;

import dev.pulse.family.FamilyState;
import dev.pulse.family.ScoreObservation;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The stored form of a {@link FamilyState} ({@code family_operator_state.state}): a version byte, then
 * the fields. Event times are delta-encoded varints because they are sorted and dense.
 */
final class FamilyStateCodec {

    private static final byte VERSION_1 = 1;
    private static final long NO_TIME = Long.MIN_VALUE;

    private FamilyStateCodec() {
    }

    static byte[] encode(FamilyState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + state.recentEventTimesMs().length * 3);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION_1);
            ScoreObservation score = state.latestScore();
            out.writeBoolean(score != null);
            if (score != null) {
                out.writeLong(score.at().toEpochMilli());
                out.writeUTF(score.eventId());
                out.writeInt(score.score());
            }
            out.writeLong(state.eventsProcessed());
            out.writeLong(state.lastEventTimestamp() == null ? NO_TIME : state.lastEventTimestamp().toEpochMilli());
            long[] times = state.recentEventTimesMs();
            writeVarLong(out, times.length);
            long previous = 0;
            for (long t : times) {
                writeVarLong(out, t - previous);
                previous = t;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static FamilyState decode(String familyId, byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(encoded))) {
            byte version = in.readByte();
            if (version != VERSION_1) {
                throw new IllegalStateException("family state of " + familyId + " has unknown encoding version " + version);
            }
            ScoreObservation score = null;
            if (in.readBoolean()) {
                Instant at = Instant.ofEpochMilli(in.readLong());
                score = new ScoreObservation(at, in.readUTF(), in.readInt());
            }
            long processed = in.readLong();
            long last = in.readLong();
            long[] times = new long[(int) readVarLong(in)];
            long previous = 0;
            for (int i = 0; i < times.length; i++) {
                previous += readVarLong(in);
                times[i] = previous;
            }
            return new FamilyState(familyId, score, processed, last == NO_TIME ? null : Instant.ofEpochMilli(last), times);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt family state of " + familyId, e);
        }
    }

    private static void writeVarLong(DataOutputStream out, long value) throws IOException {
        // zig-zag so that a negative first time (before 1970) stays short too
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    private static long readVarLong(DataInputStream in) throws IOException {
        long v = 0;
        int shift = 0;
        byte b;
        do {
            b = in.readByte();
            v |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (v >>> 1) ^ -(v & 1);
    }
}
