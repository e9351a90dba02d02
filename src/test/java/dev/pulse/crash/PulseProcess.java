package dev.pulse.crash;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Pulse started for real as a separate JVM (the application's main class on the test classpath), so the
 * crash test can kill it with SIGKILL: no shutdown hook, no finally block, an open transaction cut off
 * wherever it was. Its output goes to a log file under target/ for when a run has to be explained.
 */
public final class PulseProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private PulseProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static PulseProcess start(String name, Map<String, String> env, List<String> properties) throws IOException {
        return start(name, env, properties, true);
    }

    /**
     * @param testResources whether the test classes and resources are on the class path too; without them the
     *                      process runs as the packaged application does (no {@code logback-test.xml}, so Spring
     *                      Boot configures logging itself, structured logging included; no test-only rules)
     */
    public static PulseProcess start(String name, Map<String, String> env, List<String> properties, boolean testResources)
            throws IOException {
        Path logs = Path.of("target", "crash-logs");
        Files.createDirectories(logs);
        Path log = logs.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx1g");
        command.add("-cp");
        command.add(classPath(testResources));
        command.add("dev.pulse.PulseApplication");
        properties.forEach(p -> command.add("--" + p));
        if (!testResources) {
            // the test users and tokens are in the test resources; the clients' admin token must work here too
            dev.pulse.support.TestCredentials.adminTokenProperties().forEach(p -> command.add("--" + p));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new PulseProcess(builder.start(), log);
    }

    /** Surefire runs tests from a manifest-only jar; the real class path is in this property then. */
    private static String classPath(boolean testResources) {
        String surefire = System.getProperty("surefire.test.class.path");
        String path = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
        return String.join(File.pathSeparator, java.util.Arrays.stream(path.split(File.pathSeparator))
                .filter(entry -> testResources || !Path.of(entry).endsWith("test-classes"))
                .toList());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** Waits for the process to end on its own; answers its exit code, or null if it still runs after {@code timeout}. */
    public Integer awaitExit(java.time.Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /** SIGKILL: the JVM gets no chance to finish anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Pulse process " + process.pid() + " survived SIGKILL");
        }
    }

    /** SIGTERM: the JVM runs its shutdown hook (Spring's graceful stop); waits at most {@code timeout} for the exit. */
    public boolean terminate(java.time.Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
