package dev.pulse.pipeline;

import dev.pulse.event.Event;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of a retained event: compact binary, not wire JSON. Each {@code event_data} value keeps its
 * exact Java type (Integer, Long, BigInteger, BigDecimal with its scale, ...), so an event read back equals the
 * one the engine held field by field, with no JSON parse and no validation on restore. The schema version is
 * kept as the event has it; its data is already in the version-1 form the upcasters made of it on arrival
 * (SPEC §3.6), which is what the engine reads.
 * <p>
 * Two forms: the row body of {@code family_retained_events}, which leaves out what the row's columns hold (the
 * family, the event id, the time), and the whole event, inside a family's head (the carry's scores).
 * Stateless and thread-safe.
 */
final class StoredEventCodec {

    /** First byte of a row body: lets a later Pulse change the form and still read this one. */
    private static final byte BODY_VERSION = 1;

    /**
     * The known event types by code, in the order they were given codes. Append only: the code is what is stored,
     * so an entry may never move, and a renamed type keeps its code.
     */
    private static final List<String> TYPE_CODES = List.of("EngagementScoreUpdated", "PaymentReceived", "PaymentOverdue",
            "ReminderSent", "UserLogin", "UserLogout", "EmailBounced", "EmailDelivered", "EmailOpened");
    private static final Map<String, Integer> CODE_OF = codes();
    /** Type code of a type outside {@link #TYPE_CODES}: its name follows. */
    private static final int OTHER_TYPE = 0;

    // Value tags. Append only, like the type codes.
    private static final int NULL = 0;
    private static final int FALSE = 1;
    private static final int TRUE = 2;
    private static final int STRING = 3;
    private static final int INTEGER = 4;
    private static final int LONG = 5;
    private static final int BIG_INTEGER = 6;
    /** A BigDecimal whose unscaled value fits a long: scale, then the unscaled value. */
    private static final int DECIMAL = 7;
    private static final int BIG_DECIMAL = 8;
    private static final int DOUBLE = 9;
    private static final int FLOAT = 10;
    private static final int SHORT = 11;
    private static final int BYTE = 12;
    private static final int LIST = 13;
    private static final int MAP = 14;

    /** writeUTF takes at most 65,535 bytes, and a char takes at most 3: longer strings go as chars. */
    private static final int MAX_UTF_CHARS = 65_535 / 3;
    private static final int MAX_DEPTH = 200;

    /** The row body: everything but the family, the id and the time, which the row's columns hold. */
    byte[] body(Event event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + 16 * event.eventData().size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(BODY_VERSION);
            writeTypeAndData(out, event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The event of a row of {@code family_retained_events}. */
    Event fromRow(String familyId, String eventId, long eventMillis, byte[] body) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
            byte version = in.readByte();
            if (version != BODY_VERSION) {
                throw new IllegalStateException("retained event " + eventId + " of family " + familyId + " has encoding version "
                        + version + ", this Pulse reads " + BODY_VERSION);
            }
            Event event = readTypeAndData(in, familyId, eventId, Instant.ofEpochMilli(eventMillis));
            if (in.available() != 0) {
                throw new IllegalStateException(in.available() + " bytes after the data");
            }
            return event;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("corrupt retained event " + eventId + " of family " + familyId + ": " + e, e);
        }
    }

    /** The whole event but its family (the head it is written into names it). */
    void write(DataOutput out, Event event) throws IOException {
        writeString(out, event.eventId());
        out.writeLong(millis(event));
        writeTypeAndData(out, event);
    }

    /** Reads what {@link #write} wrote; errors with an IOException or an IllegalStateException when it is corrupt. */
    Event read(DataInput in, String familyId) throws IOException {
        String eventId = readString(in);
        Instant time = Instant.ofEpochMilli(in.readLong());
        return readTypeAndData(in, familyId, eventId, time);
    }

    /** The event's time in epoch milliseconds: the stored time, which must lose nothing. */
    static long millis(Event event) {
        Instant t = event.eventTimestamp();
        if (t.getNano() % 1_000_000 != 0) {
            // The validator truncates times to milliseconds (SPEC §7): anything finer never reaches the engine.
            throw new IllegalArgumentException("event " + event.eventId() + " has a time finer than milliseconds: " + t);
        }
        return t.toEpochMilli();
    }

    private static void writeTypeAndData(DataOutput out, Event event) throws IOException {
        Integer code = CODE_OF.get(event.eventType());
        if (code == null) {
            writeVarInt(out, OTHER_TYPE);
            writeString(out, event.eventType());
        } else {
            writeVarInt(out, code);
        }
        writeVarLong(out, event.schemaVersion());
        Map<String, Object> data = event.eventData();
        writeVarInt(out, data.size());
        for (Map.Entry<String, Object> entry : data.entrySet()) {
            writeString(out, entry.getKey());
            writeValue(out, entry.getValue(), 1);
        }
    }

    private static Event readTypeAndData(DataInput in, String familyId, String eventId, Instant time) throws IOException {
        int code = readVarInt(in);
        String type;
        if (code == OTHER_TYPE) {
            type = readString(in);
        } else if (code <= TYPE_CODES.size()) {
            type = TYPE_CODES.get(code - 1);
        } else {
            throw new IllegalStateException("unknown event type code " + code);
        }
        int schemaVersion = Math.toIntExact(readVarLong(in));
        int fields = readCount(in);
        Map<String, Object> data = new LinkedHashMap<>(Math.max(4, fields * 2));
        for (int i = 0; i < fields; i++) {
            String key = readString(in);
            data.put(key, readValue(in, 1));
        }
        return new Event(eventId, type, familyId, time, schemaVersion, data);
    }

    private static void writeValue(DataOutput out, Object value, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("event data nested deeper than " + MAX_DEPTH);
        }
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof Boolean b) {
            out.writeByte(b ? TRUE : FALSE);
        } else if (value instanceof String s) {
            out.writeByte(STRING);
            writeString(out, s);
        } else if (value instanceof Integer i) {
            out.writeByte(INTEGER);
            writeVarLong(out, i);
        } else if (value instanceof Long l) {
            out.writeByte(LONG);
            writeVarLong(out, l);
        } else if (value instanceof BigInteger i) {
            out.writeByte(BIG_INTEGER);
            writeBytes(out, i.toByteArray());
        } else if (value instanceof BigDecimal d) {
            BigInteger unscaled = d.unscaledValue();
            boolean small = unscaled.bitLength() < 64;
            out.writeByte(small ? DECIMAL : BIG_DECIMAL);
            writeVarLong(out, d.scale());
            if (small) {
                writeVarLong(out, unscaled.longValue());
            } else {
                writeBytes(out, unscaled.toByteArray());
            }
        } else if (value instanceof Double x) {
            out.writeByte(DOUBLE);
            out.writeDouble(x);
        } else if (value instanceof Float x) {
            out.writeByte(FLOAT);
            out.writeFloat(x);
        } else if (value instanceof Short x) {
            out.writeByte(SHORT);
            out.writeShort(x);
        } else if (value instanceof Byte x) {
            out.writeByte(BYTE);
            out.writeByte(x);
        } else if (value instanceof List<?> list) {
            out.writeByte(LIST);
            writeVarInt(out, list.size());
            for (Object element : list) {
                writeValue(out, element, depth + 1);
            }
        } else if (value instanceof Map<?, ?> map) {
            out.writeByte(MAP);
            writeVarInt(out, map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("event data object with a key that is not a string: " + entry.getKey());
                }
                writeString(out, key);
                writeValue(out, entry.getValue(), depth + 1);
            }
        } else {
            throw new IllegalArgumentException("event data holds a " + value.getClass().getName() + ", which is not a JSON value");
        }
    }

    private static Object readValue(DataInput in, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException("event data nested deeper than " + MAX_DEPTH);
        }
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case NULL -> null;
            case FALSE -> Boolean.FALSE;
            case TRUE -> Boolean.TRUE;
            case STRING -> readString(in);
            case INTEGER -> Math.toIntExact(readVarLong(in));
            case LONG -> readVarLong(in);
            case BIG_INTEGER -> new BigInteger(readBytes(in));
            case DECIMAL -> {
                int scale = Math.toIntExact(readVarLong(in));
                yield BigDecimal.valueOf(readVarLong(in), scale);
            }
            case BIG_DECIMAL -> {
                int scale = Math.toIntExact(readVarLong(in));
                yield new BigDecimal(new BigInteger(readBytes(in)), scale);
            }
            case DOUBLE -> in.readDouble();
            case FLOAT -> in.readFloat();
            case SHORT -> in.readShort();
            case BYTE -> in.readByte();
            case LIST -> {
                int n = readCount(in);
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(readValue(in, depth + 1));
                }
                yield list;
            }
            case MAP -> {
                int n = readCount(in);
                Map<String, Object> map = new LinkedHashMap<>(Math.max(4, n * 2));
                for (int i = 0; i < n; i++) {
                    String key = readString(in);
                    map.put(key, readValue(in, depth + 1));
                }
                yield map;
            }
            default -> throw new IllegalStateException("unknown value tag " + tag);
        };
    }

    /**
     * Modified UTF-8 ({@link DataOutput#writeUTF}) keeps every char, unpaired surrogates too, which standard UTF-8
     * would replace. A string too long for it goes as its chars, after a length of −(chars) − 1.
     */
    private static void writeString(DataOutput out, String s) throws IOException {
        if (s.length() <= MAX_UTF_CHARS) {
            writeVarInt(out, 0);
            out.writeUTF(s);
        } else {
            writeVarInt(out, s.length());
            out.writeChars(s);
        }
    }

    private static String readString(DataInput in) throws IOException {
        int chars = readVarInt(in);
        if (chars == 0) {
            return in.readUTF();
        }
        if (chars <= MAX_UTF_CHARS) {
            throw new IllegalStateException("a string of " + chars + " chars stored as chars");
        }
        char[] text = new char[chars];
        for (int i = 0; i < chars; i++) {
            text[i] = in.readChar();
        }
        return new String(text);
    }

    private static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        writeVarInt(out, bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInput in) throws IOException {
        byte[] bytes = new byte[readCount(in)];
        in.readFully(bytes);
        return bytes;
    }

    /** A count of things that follow, each at least one byte: more than the input holds is corrupt. */
    private static int readCount(DataInput in) throws IOException {
        int n = readVarInt(in);
        if (in instanceof DataInputStream stream && n > stream.available()) {
            throw new EOFException("count " + n + " overruns the input");
        }
        return n;
    }

    private static void writeVarInt(DataOutput out, int value) throws IOException {
        if (value < 0) {
            throw new IllegalArgumentException("negative count " + value);
        }
        writeUnsigned(out, value);
    }

    private static int readVarInt(DataInput in) throws IOException {
        long value = readUnsigned(in);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalStateException("count " + value + " out of range");
        }
        return (int) value;
    }

    /** Zig-zag, then 7 bits a byte: small magnitudes of either sign take one byte. */
    private static void writeVarLong(DataOutput out, long value) throws IOException {
        writeUnsigned(out, (value << 1) ^ (value >> 63));
    }

    private static long readVarLong(DataInput in) throws IOException {
        long zigzag = readUnsigned(in);
        return (zigzag >>> 1) ^ -(zigzag & 1);
    }

    private static void writeUnsigned(DataOutput out, long value) throws IOException {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    private static long readUnsigned(DataInput in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalStateException("variable-length number longer than 64 bits");
    }

    private static Map<String, Integer> codes() {
        Map<String, Integer> codes = new java.util.HashMap<>();
        for (int i = 0; i < TYPE_CODES.size(); i++) {
            codes.put(TYPE_CODES.get(i), i + 1);
        }
        return Map.copyOf(codes);
    }
}
