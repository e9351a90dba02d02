package dev.pulse.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain JDBC into the test PostgreSQL (the server scripts/test starts), for tests that look at a database
 * from outside the Pulse they run: connection settings from the same variables as the application.
 */
public final class TestDatabase {

    public static final String HOST = env("PULSE_DB_HOST", "127.0.0.1");
    public static final String PORT = env("PULSE_DB_PORT", "5432");
    public static final String USER = env("PULSE_DB_USER", "pulse");
    public static final String PASSWORD = env("PULSE_DB_PASSWORD", "pulse");

    private TestDatabase() {
    }

    /** The database the in-JVM tests share ({@code PulseIT}, {@link PulseServer}). */
    public static String shared() {
        return env("PULSE_DB_NAME", "pulse_test");
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, USER, PASSWORD);
    }

    /** Every row the query answers in {@code database}, columns joined by " | ", sorted: comparable as a whole. */
    public static List<String> rows(String database, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? " | " : "").append(r.getString(i));
                }
                out.add(row.toString());
            }
        }
        out.sort(null);
        return out;
    }

    /** The one number the query answers (e.g. a count). */
    public static long single(String database, String sql) throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
