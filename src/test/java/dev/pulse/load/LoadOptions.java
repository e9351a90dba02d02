package dev.pulse.load;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What {@code scripts/load} was asked to do. Unknown or malformed options are refused with the option
 * named, before anything is sent.
 *
 * @param target     {@code kafka} (records keyed by family, as every producer writes them) or {@code http}
 *                   ({@code POST /api/events}, NDJSON)
 * @param rate       events per second; 0 sends as fast as the target takes them
 * @param from       event time of the first event, then {@code step} apart (a reproducible backfill); null
 *                   stamps each event with the wall clock at sending (a live stream)
 * @param verify     after sending, reconcile every family's {@code events_processed} through the REST API
 * @param token      the bearer token sent to Pulse over HTTP ({@code --token}, else {@code PULSE_TOKEN} from the
 *                   environment, as scripts/run prints it); null sends none. It needs role {@code ingest} to post
 *                   and {@code viewer} to verify (an admin token has both)
 */
record LoadOptions(String target, String bootstrap, String topic, URI url, long events, int families, long seed,
                   double rate, Instant from, Duration step, double v2Share, String familyPrefix, long runId,
                   int batch, boolean verify, Duration verifyTimeout, String token) {

    static final String USAGE = """
            usage: scripts/load [--target kafka|http] [--events N] [--families F] [--rate EVENTS_PER_S|max]
                                [--from ISO_INSTANT --step-ms MS] [--seed S] [--v2-share 0..1]
                                [--family-prefix P] [--run-id ID] [--batch N]
                                [--bootstrap HOST:PORT] [--topic T] [--url http://host:port]
                                [--verify] [--verify-timeout-s S] [--token T (default: $PULSE_TOKEN)]""";

    LoadOptions {
        require(target.equals("kafka") || target.equals("http"), "--target must be kafka or http, was " + target);
        require(events > 0, "--events must be > 0, was " + events);
        require(families > 0, "--families must be > 0, was " + families);
        require(rate >= 0, "--rate must be >= 0 or max, was " + rate);
        require(v2Share >= 0 && v2Share <= 1, "--v2-share must be within 0..1, was " + v2Share);
        require(batch > 0 && batch <= 100_000, "--batch must be within 1..100000, was " + batch);
        require(!step.isNegative() && !step.isZero(), "--step-ms must be > 0");
        require(!familyPrefix.isBlank(), "--family-prefix must not be blank");
    }

    static LoadOptions parse(List<String> args, long defaultRunId) {
        String target = "kafka";
        String bootstrap = "127.0.0.1:19092";
        String topic = "pulse.events";
        URI url = URI.create("http://127.0.0.1:8080");
        long events = 100_000;
        int families = 1_000;
        long seed = 42;
        double rate = 0;
        Instant from = null;
        Duration step = Duration.ofMillis(100);
        double v2Share = 0;
        String prefix = "load-";
        long runId = defaultRunId;
        int batch = 1_000;
        boolean verify = false;
        Duration verifyTimeout = Duration.ofMinutes(5);
        String token = System.getenv("PULSE_TOKEN");
        java.util.ArrayDeque<String> rest = new java.util.ArrayDeque<>(args);
        while (!rest.isEmpty()) {
            String option = rest.removeFirst();
            if (option.equals("--verify")) {
                verify = true;
                continue;
            }
            if (option.equals("--help") || option.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            require(!rest.isEmpty(), option + " needs a value");
            String value = rest.removeFirst();
            try {
                switch (option) {
                    case "--target" -> target = value;
                    case "--bootstrap" -> bootstrap = value;
                    case "--topic" -> topic = value;
                    case "--url" -> url = URI.create(value);
                    case "--events" -> events = Long.parseLong(value.replace("_", ""));
                    case "--families" -> families = Integer.parseInt(value.replace("_", ""));
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--rate" -> rate = value.equals("max") ? 0 : Double.parseDouble(value);
                    case "--from" -> from = Instant.parse(value);
                    case "--step-ms" -> step = Duration.ofMillis(Long.parseLong(value));
                    case "--v2-share" -> v2Share = Double.parseDouble(value);
                    case "--family-prefix" -> prefix = value;
                    case "--run-id" -> runId = Long.parseLong(value);
                    case "--batch" -> batch = Integer.parseInt(value);
                    case "--token" -> token = value;
                    case "--verify-timeout-s" -> verifyTimeout = Duration.ofSeconds(Long.parseLong(value));
                    default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
                }
            } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(option + ": not a valid value: " + value);
            }
        }
        return new LoadOptions(target, bootstrap, topic, url, events, families, seed, rate, from, step, v2Share, prefix,
                runId, batch, verify, verifyTimeout, token == null || token.isBlank() ? null : token);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Without the token: options are printed. */
    @Override
    public String toString() {
        return "LoadOptions[target=" + target + ", url=" + url + ", events=" + events + ", families=" + families
                + ", rate=" + rate + ", token=" + (token == null ? "none" : "(set)") + "]";
    }
}
