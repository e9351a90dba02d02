package dev.pulse.projection;

import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;

/** Binding helpers: R2DBC needs the type of a null, and arrays of instants travel as ISO text. */
final class Sql {

    private Sql() {
    }

    static DatabaseClient.GenericExecuteSpec bindNullable(DatabaseClient.GenericExecuteSpec spec, int index, Object value, Class<?> type) {
        return value == null ? spec.bindNull(index, type) : spec.bind(index, value);
    }

    /** Cast in SQL with {@code $n::text[]::timestamptz[]}; exact to the microsecond, nulls kept. */
    static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
