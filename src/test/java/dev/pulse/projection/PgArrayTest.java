package dev.pulse.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The binary array format of {@code array_recv}, byte by byte, and the builder's refusals. */
class PgArrayTest {

    @Test
    void shouldWriteHeaderThenLengthPrefixedElements() {
        PgArray array = PgArray.builder(PgArray.Type.INT4, 2).add(7).addNull().build();

        ByteBuffer wire = ByteBuffer.wrap(array.wire(), 0, array.length());
        assertThat(wire.getInt()).as("dimensions").isEqualTo(1);
        assertThat(wire.getInt()).as("has nulls").isEqualTo(1);
        assertThat(wire.getInt()).as("element oid (int4)").isEqualTo(23);
        assertThat(wire.getInt()).as("length").isEqualTo(2);
        assertThat(wire.getInt()).as("lower bound").isEqualTo(1);
        assertThat(wire.getInt()).isEqualTo(4);
        assertThat(wire.getInt()).isEqualTo(7);
        assertThat(wire.getInt()).as("null").isEqualTo(-1);
        assertThat(wire.hasRemaining()).isFalse();
        assertThat(array.type().arrayOid).isEqualTo(1007);
    }

    @Test
    void shouldWriteInstantsAsMicrosecondsSince2000() {
        PgArray array = PgArray.builder(PgArray.Type.TIMESTAMPTZ, 2)
                .add(Instant.parse("2000-01-01T00:00:00.000001Z"))
                .add(Instant.parse("1999-12-31T23:59:59Z"))
                .build();

        ByteBuffer wire = ByteBuffer.wrap(array.wire()).position(20);
        assertThat(wire.getInt()).isEqualTo(8);
        assertThat(wire.getLong()).isEqualTo(1L);
        assertThat(wire.getInt()).isEqualTo(8);
        assertThat(wire.getLong()).isEqualTo(-1_000_000L);
        assertThat(ByteBuffer.wrap(array.wire()).getInt(4)).as("no nulls").isZero();
    }

    @Test
    void shouldWriteTextAsUtf8Unescaped() {
        PgArray array = PgArray.text("a\"{,}", "é");

        ByteBuffer wire = ByteBuffer.wrap(array.wire(), 0, array.length()).position(20);
        assertThat(wire.getInt()).isEqualTo(5);
        byte[] first = new byte[5];
        wire.get(first);
        assertThat(new String(first, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("a\"{,}");
        assertThat(wire.getInt()).as("é is two bytes in UTF-8").isEqualTo(2);
        wire.position(wire.position() + 2);
        assertThat(wire.hasRemaining()).isFalse();
    }

    @Test
    void shouldRefuseAnElementOfAnotherTypeAWrongCountOrASmallintOverflow() {
        assertThatThrownBy(() -> PgArray.builder(PgArray.Type.TEXT, 1).add(1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("INT8 element added to a TEXT array");
        assertThatThrownBy(() -> PgArray.builder(PgArray.Type.TEXT, 2).add("a").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("array of 2 elements built with 1");
        assertThatThrownBy(() -> PgArray.builder(PgArray.Type.TEXT, 1).add("a").add("b"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("full");
        assertThatThrownBy(() -> PgArray.builder(PgArray.Type.INT2, 1).add(40_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smallint");
    }
}
