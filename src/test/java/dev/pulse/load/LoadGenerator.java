package dev.pulse.load;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code scripts/load}: writes a seeded, realistic mix (the simulator's model) to the topic or to
 * {@code POST /api/events}, at a fixed rate or as fast as the target takes it, reports what it sent, and
 * with {@code --verify} reconciles every family through the REST API: none lost, none counted twice.
 * Exit status 0 when everything was acknowledged (and reconciled), 1 when not, 2 for bad options.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(Arrays.asList(args), System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(options) ? 0 : 1);
    }

    /** Sends, reports and verifies; true when every event was acknowledged and, if asked, reconciled. */
    static boolean run(LoadOptions options) throws Exception {
        System.out.println(machine());
        FamilyCounts counts = options.verify() ? new FamilyCounts(options.url(), options.token()) : null;
        Map<String, Long> before = counts == null ? Map.of() : counts.read(options.familyPrefix());
        LoadStream stream = new LoadStream(options);
        Sink sink = options.target().equals("kafka") ? new KafkaSink(options.bootstrap(), options.topic()) : new HttpSink(options.url(), options.token());
        long started = System.nanoTime();
        try (sink) {
            send(options, stream, sink, started);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("sent %,d events (%,d distinct, %,d producer retries) over %,d families to %s in %.2f s: %,.0f events/s (asked: %s)%n",
                stream.sent(), stream.distinct(), stream.retries(), stream.expectedPerFamily().size(), sink.describe(), seconds,
                stream.sent() / seconds, options.rate() == 0 ? "max" : "%,.0f/s".formatted(options.rate()));
        System.out.println("by type: " + stream.sentPerType());
        if (counts == null) {
            return true;
        }
        return verify(options, stream, counts, before);
    }

    private static void send(LoadOptions options, LoadStream stream, Sink sink, long started) throws Exception {
        // At a fixed rate, send in slices of 10 ms worth of events, each when it is due; behind schedule, catch up.
        int slice = options.rate() == 0 ? options.batch() : (int) Math.max(1, Math.min(options.batch(), options.rate() / 100));
        while (stream.sent() < options.events()) {
            int n = (int) Math.min(slice, options.events() - stream.sent());
            if (options.rate() > 0) {
                long due = started + (long) (stream.sent() / options.rate() * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            List<Map<String, Object>> events = stream.next(n, Instant.now());
            sink.send(events);
        }
    }

    private static boolean verify(LoadOptions options, LoadStream stream, FamilyCounts counts, Map<String, Long> before) throws Exception {
        long started = System.nanoTime();
        Instant deadline = Instant.now().plus(options.verifyTimeout());
        Reconciliation result;
        do {
            Thread.sleep(500);
            result = Reconciliation.of(stream.expectedPerFamily(), before, counts.read(options.familyPrefix()));
            // Families still short may catch up; a family over its count never comes back down.
        } while (!result.exact() && result.doubled().isEmpty() && Instant.now().isBefore(deadline));
        System.out.printf("verify: %s (after %.1f s)%n", result.summary(), Duration.ofNanos(System.nanoTime() - started).toMillis() / 1e3);
        return result.exact();
    }

    private static String machine() {
        Runtime runtime = Runtime.getRuntime();
        return "machine: %d cores, %d MiB max heap, Java %s, %s".formatted(runtime.availableProcessors(),
                runtime.maxMemory() >> 20, System.getProperty("java.version"), System.getProperty("os.name"));
    }
}
