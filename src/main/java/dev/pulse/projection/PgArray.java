package dev.pulse.projection;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * A one-dimensional PostgreSQL array already in the binary wire format ({@code array_recv}), bound as one
 * statement parameter through {@link PgArrayCodec}. The driver's own arrays travel as text: every element
 * escaped and quoted, every instant formatted as ISO text and parsed again by the server, every byte string
 * hex-dumped. On the checkpoint path that was a fifth of Pulse's CPU (docs/performance.md), and the server paid
 * the parsing. Elements here are written once, as the server stores them.
 * <p>
 * Build one with {@link #builder(Type, int)}, adding exactly {@code size} elements in order; {@code null}
 * elements are allowed. Numbers of type {@code numeric} have no binary form here: send them as
 * {@link Type#TEXT} and cast in SQL ({@code $n::text[]::numeric[]}), which is exact.
 */
public final class PgArray {

    /** Element types, with the element and array type oids of {@code pg_type}. */
    public enum Type {
        BOOL(16, 1000, 1),
        BYTEA(17, 1001, 24),
        INT8(20, 1016, 8),
        INT2(21, 1005, 2),
        INT4(23, 1007, 4),
        TEXT(25, 1009, 24),
        TIMESTAMPTZ(1184, 1185, 8);

        final int elementOid;
        final int arrayOid;
        /** Bytes of an element: exact for fixed-width types, a first guess for the others. */
        final int elementBytes;

        Type(int elementOid, int arrayOid, int elementBytes) {
            this.elementOid = elementOid;
            this.arrayOid = arrayOid;
            this.elementBytes = elementBytes;
        }
    }

    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch for binary timestamps, in seconds since 1970. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;
    private static final int HEADER = 20;

    private final Type type;
    private final int size;
    private final byte[] wire;
    private final int length;

    private PgArray(Type type, int size, byte[] wire, int length) {
        this.type = type;
        this.size = size;
        this.wire = wire;
        this.length = length;
    }

    public static Builder builder(Type type, int size) {
        return new Builder(type, size);
    }

    public static PgArray text(String... values) {
        Builder builder = builder(Type.TEXT, values.length);
        for (String value : values) {
            builder.add(value);
        }
        return builder.build();
    }

    public Type type() {
        return type;
    }

    public int size() {
        return size;
    }

    /** The parameter's bytes as sent, {@code wire()[0, length())}: header, then each element's length and bytes. Not a copy. */
    byte[] wire() {
        return wire;
    }

    int length() {
        return length;
    }

    @Override
    public String toString() {
        return "PgArray[" + type + ", " + size + " elements, " + length + " bytes]";
    }

    /** Not thread-safe; used once. */
    public static final class Builder {
        private final Type type;
        private final int size;
        private byte[] buffer;
        private int position = HEADER;
        private int count;
        private boolean hasNull;

        private Builder(Type type, int size) {
            if (size < 0) {
                throw new IllegalArgumentException("size must be >= 0, was " + size);
            }
            this.type = type;
            this.size = size;
            // Exact for fixed-width elements without nulls, so those arrays are never copied.
            this.buffer = new byte[HEADER + size * (4 + type.elementBytes)];
        }

        public Builder addNull() {
            next(0);
            writeInt(-1);
            hasNull = true;
            return this;
        }

        public Builder add(String value) {
            if (value == null) {
                return addNull();
            }
            expect(Type.TEXT);
            return bytes(value.getBytes(StandardCharsets.UTF_8));
        }

        public Builder add(byte[] value) {
            if (value == null) {
                return addNull();
            }
            expect(Type.BYTEA);
            return bytes(value);
        }

        public Builder add(Instant value) {
            if (value == null) {
                return addNull();
            }
            expect(Type.TIMESTAMPTZ);
            // Microseconds, as the server keeps them; Pulse's instants are whole milliseconds (EventValidator),
            // and a finer one is cut toward the past, never rounded into the next microsecond.
            long micros = Math.addExact(Math.multiplyExact(value.getEpochSecond() - PG_EPOCH_SECONDS, 1_000_000L),
                    value.getNano() / 1_000);
            next(12);
            writeInt(8);
            writeLong(micros);
            return this;
        }

        public Builder add(Long value) {
            return value == null ? addNull() : add(value.longValue());
        }

        public Builder add(long value) {
            expect(Type.INT8);
            next(12);
            writeInt(8);
            writeLong(value);
            return this;
        }

        public Builder add(Integer value) {
            return value == null ? addNull() : add(value.intValue());
        }

        public Builder add(int value) {
            if (type == Type.INT2) {
                if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
                    throw new IllegalArgumentException(value + " does not fit a smallint");
                }
                next(6);
                writeInt(2);
                buffer[position++] = (byte) (value >>> 8);
                buffer[position++] = (byte) value;
                return this;
            }
            expect(Type.INT4);
            next(8);
            writeInt(4);
            writeInt(value);
            return this;
        }

        public Builder add(Boolean value) {
            if (value == null) {
                return addNull();
            }
            expect(Type.BOOL);
            next(5);
            writeInt(1);
            buffer[position++] = (byte) (value ? 1 : 0);
            return this;
        }

        public PgArray build() {
            if (count != size) {
                throw new IllegalStateException("array of " + size + " elements built with " + count);
            }
            int end = position;
            position = 0;
            writeInt(1);                  // dimensions
            writeInt(hasNull ? 1 : 0);    // has nulls
            writeInt(type.elementOid);
            writeInt(size);               // length of the dimension
            writeInt(1);                  // its lower bound
            byte[] wire = buffer;
            buffer = null;
            return new PgArray(type, size, wire, end);
        }

        private Builder bytes(byte[] value) {
            next(4 + value.length);
            writeInt(value.length);
            System.arraycopy(value, 0, buffer, position, value.length);
            position += value.length;
            return this;
        }

        private void expect(Type expected) {
            if (type != expected) {
                throw new IllegalArgumentException("a " + expected + " element added to a " + type + " array");
            }
        }

        /** Counts one more element and makes room for {@code bytes} more. */
        private void next(int bytes) {
            if (buffer == null) {
                throw new IllegalStateException("array already built");
            }
            if (count == size) {
                throw new IllegalStateException("array of " + size + " elements is full");
            }
            count++;
            int needed = position + Math.max(bytes, 4);
            if (needed > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length + (buffer.length >> 1)));
            }
        }

        private void writeInt(int value) {
            buffer[position++] = (byte) (value >>> 24);
            buffer[position++] = (byte) (value >>> 16);
            buffer[position++] = (byte) (value >>> 8);
            buffer[position++] = (byte) value;
        }

        private void writeLong(long value) {
            writeInt((int) (value >>> 32));
            writeInt((int) value);
        }
    }
}
