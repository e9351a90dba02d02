package dev.pulse.projection;

import java.math.BigDecimal;
import org.springframework.r2dbc.core.DatabaseClient;

/** Binding helpers: R2DBC needs the type of a null, and numbers of arrays travel as text. */
final class Sql {

    private Sql() {
    }

    static DatabaseClient.GenericExecuteSpec bindNullable(DatabaseClient.GenericExecuteSpec spec, int index, Object value, Class<?> type) {
        return value == null ? spec.bindNull(index, type) : spec.bind(index, value);
    }

    /** An element of a {@link PgArray.Type#TEXT} array cast in SQL with {@code $n::text[]::numeric[]}; exact, nulls kept. */
    static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }
}
