package dev.pulse.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.PulseIT;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * {@link PgArray} bound through the application's own connections ({@link PgArrayCodec} registered by the
 * driver's extension mechanism) and read back by the real PostgreSQL: every element type, nulls, text that the
 * driver's text arrays would have to escape, and bytes that are not UTF-8.
 */
class PgArrayIT extends PulseIT {

    @Autowired
    private DatabaseClient db;

    private List<String> roundTrip(String castAndExpression, PgArray array) {
        List<String> out = new ArrayList<>();
        db.sql("select " + castAndExpression + " from unnest($1) with ordinality as u(v, n) order by n")
                .bind(0, array)
                .map(row -> row.get(0, String.class))
                .all()
                .doOnNext(out::add)
                .then()
                .block(Duration.ofSeconds(30));
        return out;
    }

    @Test
    void shouldReadBackTextWithCharactersTheTextFormatWouldEscape() {
        PgArray array = PgArray.text("plain", "quote\" brace{} comma, backslash\\ space ", "NULL", "", "été ✓");

        assertThat(roundTrip("u.v", array))
                .containsExactly("plain", "quote\" brace{} comma, backslash\\ space ", "NULL", "", "été ✓");
    }

    @Test
    void shouldKeepNullsWhereTheyWere() {
        PgArray array = PgArray.builder(PgArray.Type.TEXT, 3).add("a").add((String) null).add("c").build();

        assertThat(roundTrip("coalesce(u.v, '<null>')", array)).containsExactly("a", "<null>", "c");
    }

    @Test
    void shouldReadBackInstantsToTheMicrosecond() {
        PgArray array = PgArray.builder(PgArray.Type.TIMESTAMPTZ, 3)
                .add(Instant.parse("2026-11-27T06:00:00.123Z"))
                .add(Instant.parse("1970-01-01T00:00:00Z"))
                .add(Instant.parse("2000-01-01T00:00:00.000001Z"))
                .build();

        assertThat(roundTrip("to_char(u.v at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')", array))
                .containsExactly("2026-11-27T06:00:00.123000", "1970-01-01T00:00:00.000000", "2000-01-01T00:00:00.000001");
    }

    @Test
    void shouldReadBackIntegersBooleansAndBytes() {
        assertThat(roundTrip("u.v::text", PgArray.builder(PgArray.Type.INT8, 2).add(Long.MIN_VALUE).add(42L).build()))
                .containsExactly(String.valueOf(Long.MIN_VALUE), "42");
        assertThat(roundTrip("u.v::text", PgArray.builder(PgArray.Type.INT4, 2).add(-7).add(Integer.MAX_VALUE).build()))
                .containsExactly("-7", String.valueOf(Integer.MAX_VALUE));
        assertThat(roundTrip("u.v::text", PgArray.builder(PgArray.Type.INT2, 2).add(-32768).add(3).build()))
                .containsExactly("-32768", "3");
        assertThat(roundTrip("u.v::text", PgArray.builder(PgArray.Type.BOOL, 2).add(true).add(false).build()))
                .containsExactly("true", "false");
        assertThat(roundTrip("encode(u.v, 'hex')", PgArray.builder(PgArray.Type.BYTEA, 2)
                .add(new byte[] {0, (byte) 0xff, 0x5c, 0x22}).add(new byte[0]).build()))
                .containsExactly("00ff5c22", "");
    }

    @Test
    void shouldCastTextElementsToNumericExactly() {
        PgArray array = PgArray.text(Sql.plain(new java.math.BigDecimal("12345678901234567890.000123")),
                Sql.plain(new java.math.BigDecimal("1E+3")));

        assertThat(roundTrip("(u.v::numeric)::text", array)).containsExactly("12345678901234567890.000123", "1000");
    }
}
