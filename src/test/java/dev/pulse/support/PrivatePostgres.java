package dev.pulse.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own (initdb into a temporary directory, on a free port), so that a test can stop
 * and start the database under a running Pulse without touching the server other tests and people share. Uses the
 * newest server under {@code /usr/lib/postgresql/<version>/bin} (Debian's layout, as scripts/lib/postgres.sh). PostgreSQL
 * refuses to run as root: as root the tools run as the {@code postgres} OS user through {@code runuser}, otherwise as
 * the current user. Trust authentication on 127.0.0.1 and a Unix socket inside the directory only.
 */
public final class PrivatePostgres implements AutoCloseable {

    public static final String USER = "pulse";
    public static final String PASSWORD = "pulse";

    private final Path bin;
    private final Path directory;
    private final int port;
    private final List<String> asOwner;

    private PrivatePostgres(Path bin, Path directory, int port, List<String> asOwner) {
        this.bin = bin;
        this.directory = directory;
        this.port = port;
        this.asOwner = asOwner;
    }

    /** True when PostgreSQL's server tools are installed. */
    public static boolean available() {
        return newestBin() != null;
    }

    /** Creates, starts, and makes the role {@value #USER} and {@code database} (owned by it). */
    public static PrivatePostgres start(String database) throws IOException, InterruptedException, SQLException {
        Path bin = newestBin();
        if (bin == null) {
            throw new IllegalStateException("no PostgreSQL server under /usr/lib/postgresql/*/bin");
        }
        Path directory = Files.createTempDirectory("pulse-pg-");
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> asOwner = root ? List.of("runuser", "-u", "postgres", "--") : List.of();
        if (root) {
            UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(directory, users.lookupPrincipalByName("postgres"));
        }
        PrivatePostgres postgres = new PrivatePostgres(bin, directory, freePort(), asOwner);
        postgres.run("initdb", "-D", postgres.data(), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8");
        postgres.startServer();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("create role " + USER + " login password '" + PASSWORD + "'");
            s.execute("create database " + database + " owner " + USER);
        }
        return postgres;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Stops the server the way an operator's {@code pg_ctl stop -m fast} does: sessions are cut at once. */
    public void stop() throws IOException, InterruptedException {
        run("pg_ctl", "-D", data(), "-w", "-t", "60", "-m", "fast", "stop");
    }

    /** Starts the (stopped) server again on the same port, with the same data. */
    public void startServer() throws IOException, InterruptedException {
        run("pg_ctl", "-D", data(), "-l", directory.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (Files.exists(directory.resolve("data/postmaster.pid"))) {
                stop();
            }
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private String data() {
        return directory.resolve("data").toString();
    }

    private void run(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(asOwner);
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile("pulse-pg-tool", ".log");
        try {
            // in / : the postgres user may not read the test's working directory
            Process process = new ProcessBuilder(command).directory(Path.of("/").toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(tool + " did not finish in 120 s: " + Files.readString(output));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ": "
                        + Files.readString(output));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Path newestBin() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(b -> version(b.getParent().getFileName().toString())))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
