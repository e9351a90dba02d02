package dev.pulse.bench.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * N dashboard clients on {@code /ws/dashboard}, measuring event time → frame at the client: for every
 * family row of a {@code metrics} frame, the wall clock at receipt minus the row's
 * {@code last_event_timestamp} (a live stream stamps events with the wall clock when it sends them, on the
 * same machine), counted once per event: at the first row that shows it. Counts only frames received after the warm-up, which starts at the first {@code metrics} frame. Prints p50/p99/max and frames per second.
 *
 * <p>Usage: {@code LiveClients WS_URL CLIENTS WARMUP_S MEASURE_S}.
 */
public final class LiveClients {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MS = 120_000;
    /** Snapshots carry 1,000 families in one frame, far above Netty's 64 KiB default. */
    private static final int MAX_FRAME = 64 * 1024 * 1024;

    private final AtomicLongArray histogram = new AtomicLongArray(MAX_MS + 1);
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong detections = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private final AtomicLong hubP50 = new AtomicLong(-1);
    private final AtomicLong hubP99 = new AtomicLong(-1);
    private final AtomicLong serverLag = new AtomicLong(-1);
    private final java.util.concurrent.CountDownLatch flowing = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean measuring;
    /** The worst latency of the rows received in each second of the measurement: when the tail happened. */
    private volatile java.util.concurrent.atomic.AtomicLongArray worstBySecond = new java.util.concurrent.atomic.AtomicLongArray(0);
    private volatile long measuringSince;
    /** The first rows seen later than {@link #SLOW_MS}: which families, hence which partitions, the tail was on. */
    private final java.util.concurrent.ConcurrentLinkedQueue<String> slowRows = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicLong slowCount = new AtomicLong();
    private static final long SLOW_MS = 2_000;
    private static final int PARTITIONS = Integer.getInteger("partitions", 6);

    private LiveClients() {
    }

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        int clients = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int measure = Integer.parseInt(args[3]);
        new LiveClients().run(url, clients, warmup, measure);
    }

    private void run(URI url, int clients, int warmup, int measure) throws Exception {
        // Reactor Netty, as in the server: the JDK's WebSocket client reads every socket on one selector thread
        // and decodes each frame to UTF-16, and with 100 clients at 70 MB/s it took as much CPU as Pulse did and
        // delayed frames by seconds on the client side (docs/performance.md, live latency).
        // The WebSocket needs a token (SPEC §5.5): PULSE_TOKEN, as scripts/lib/bench.sh exports it.
        String token = System.getenv("PULSE_TOKEN");
        HttpClient http = HttpClient.create()
                .headers(h -> {
                    if (token != null && !token.isBlank()) {
                        h.add("Authorization", "Bearer " + token);
                    }
                });
        WebsocketClientSpec spec = WebsocketClientSpec.builder().maxFramePayloadLength(MAX_FRAME).build();
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(clients);
        List<Disposable> sockets = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Client client = new Client();
            sockets.add(http.websocket(spec).uri(url)
                    .handle((in, out) -> {
                        connected.countDown();
                        return in.aggregateFrames(MAX_FRAME).receiveFrames()
                                // The frames are ASCII where they are scanned (keys, ids, instants): Latin-1 is a copy, not a decoding.
                                .doOnNext(frame -> client.text(frame.content().toString(StandardCharsets.ISO_8859_1)))
                                .then();
                    })
                    .subscribe(null, e -> System.err.println("live-clients: a socket failed: " + e)));
        }
        if (!connected.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (clients - connected.getCount()) + " of " + clients + " clients connected");
        }
        System.out.printf("live-clients connected=%d%n", clients);
        // The warm-up starts when the stream does: the first family row any client receives.
        flowing.await();
        Thread.sleep(warmup * 1000L);
        worstBySecond = new java.util.concurrent.atomic.AtomicLongArray(measure + 1);
        measuringSince = System.currentTimeMillis();
        measuring = true;
        Thread.sleep(measure * 1000L);
        measuring = false;
        sockets.forEach(Disposable::dispose);
        System.out.printf("live-clients clients=%d seconds=%d frames=%d frames_per_second=%.0f events_measured=%d detections=%d resyncs=%d "
                        + "latency_ms_p50=%d latency_ms_p99=%d latency_ms_max=%d; last status frame: hub_latency_ms_p50=%d "
                        + "hub_latency_ms_p99=%d lag_records=%d%n",
                clients, measure, frames.get(), frames.get() / (double) measure, samples.get(), detections.get(), resyncs.get(),
                percentile(0.50), percentile(0.99), percentile(1.0), hubP50.get(), hubP99.get(), serverLag.get());
        StringBuilder worst = new StringBuilder();
        for (int i = 0; i < worstBySecond.length(); i++) {
            worst.append(i == 0 ? "" : " ").append(worstBySecond.get(i));
        }
        System.out.printf("live-clients worst latency (ms) of each measured second: %s%n", worst);
        if (!slowRows.isEmpty()) {
            System.out.printf("live-clients first rows over %d ms (family/partition: latency at measured second): %s%n", SLOW_MS,
                    String.join(", ", slowRows));
        }
    }

    private long percentile(double q) {
        long total = samples.get();
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int ms = 0; ms <= MAX_MS; ms++) {
            seen += histogram.get(ms);
            if (seen >= rank) {
                return ms;
            }
        }
        return MAX_MS;
    }

    private void frame(Client client, String text, long receivedAt) {
        // Frames start with their type (Pulse writes it first). Metrics frames are scanned, not parsed: a
        // hundred clients in one JVM on the machine under test must cost it as little CPU as possible.
        boolean metrics = text.startsWith(METRICS_FRAME);
        if (!measuring) {
            if (metrics) {
                client.remember(text);
                flowing.countDown();
            }
            return;
        }
        frames.incrementAndGet();
        if (metrics) {
            client.measure(text, receivedAt);
        } else if (text.startsWith("{\"type\":\"detection\"")) {
            detections.incrementAndGet();
        } else if (text.startsWith("{\"type\":\"resync\"")) {
            // The client fell too far behind: Pulse discarded what waited and sends a fresh snapshot.
            resyncs.incrementAndGet();
        } else if (text.startsWith("{\"type\":\"status\"")) {
            try {
                // Pulse's own view: event → its hub, before any client's outbox or socket
                JsonNode message = JSON.readTree(text);
                hubP50.set(message.path("latency_ms_p50").asLong(-1));
                hubP99.set(message.path("latency_ms_p99").asLong(-1));
                serverLag.set(message.path("lag").asLong(-1));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("a frame that is not JSON: " + text, e);
            }
        }
    }

    private static final String METRICS_FRAME = "{\"type\":\"metrics\"";
    private static final String FAMILY_KEY = "\"family_id\":\"";
    private static final String LAST_EVENT_KEY = "\"last_event_timestamp\":\"";

    /**
     * Calls {@code row} with each family row's id and last event time (ms), in frame order; rows without a last event
     * are skipped. Relies on Pulse writing {@code family_id} before {@code last_event_timestamp} in a row, as
     * {@code FamilyMetricsRow} declares them.
     */
    private static void rows(String text, java.util.function.ObjLongConsumer<String> row) {
        int at = text.indexOf(FAMILY_KEY);
        while (at >= 0) {
            int idStart = at + FAMILY_KEY.length();
            int idEnd = text.indexOf('"', idStart);
            int next = text.indexOf(FAMILY_KEY, idEnd);
            int last = text.indexOf(LAST_EVENT_KEY, idEnd);
            if (last >= 0 && (next < 0 || last < next)) {
                int tStart = last + LAST_EVENT_KEY.length();
                int tEnd = text.indexOf('"', tStart);
                row.accept(text.substring(idStart, idEnd), epochMillis(text, tStart, tEnd));
            }
            at = next;
        }
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} (how Pulse writes instants) to epoch milliseconds without a parser:
     * {@code Instant.parse} for every row of every client was a tenth of this JVM's CPU.
     */
    static long epochMillis(CharSequence text, int start, int end) {
        if (end - start < 20 || text.charAt(start + 10) != 'T' || text.charAt(end - 1) != 'Z') {
            return Instant.parse(text.subSequence(start, end)).toEpochMilli();
        }
        long year = digits(text, start, 4);
        int month = (int) digits(text, start + 5, 2);
        int day = (int) digits(text, start + 8, 2);
        long seconds = digits(text, start + 11, 2) * 3600 + digits(text, start + 14, 2) * 60 + digits(text, start + 17, 2);
        long millis = 0;
        if (text.charAt(start + 19) == '.') {
            int digitsRead = 0;
            for (int i = start + 20; i < end - 1 && digitsRead < 3; i++, digitsRead++) {
                millis = millis * 10 + (text.charAt(i) - '0');
            }
            for (; digitsRead < 3; digitsRead++) {
                millis *= 10;
            }
        }
        // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        long days = era * 146_097 + doe - 719_468;
        return (days * 86_400 + seconds) * 1000 + millis;
    }

    private static long digits(CharSequence text, int at, int count) {
        long value = 0;
        for (int i = at; i < at + count; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    /**
     * One socket's state. A row is a sample only when its family's last event is newer than any this client saw
     * for it: the latency of an event is to its first appearance at the client (a row pushed again for another
     * reason would count its old event anew). Frames of one socket arrive one after the other on its event loop.
     */
    private final class Client {
        private final java.util.Map<String, Long> lastSeen = new java.util.HashMap<>();

        void text(String frame) {
            frame(this, frame, System.currentTimeMillis());
        }

        void remember(String frame) {
            rows(frame, (family, lastEvent) -> lastSeen.merge(family, lastEvent, Math::max));
        }

        void measure(String frame, long receivedAt) {
            rows(frame, (family, lastEvent) -> {
                Long before = lastSeen.put(family, lastEvent);
                if (before != null && before >= lastEvent) {
                    lastSeen.put(family, before);
                    return;
                }
                long latency = receivedAt - lastEvent;
                histogram.incrementAndGet((int) Math.max(0, Math.min(MAX_MS, latency)));
                int second = (int) Math.min(worstBySecond.length() - 1, Math.max(0, (receivedAt - measuringSince) / 1000));
                worstBySecond.accumulateAndGet(second, latency, Math::max);
                if (latency > SLOW_MS && slowCount.incrementAndGet() <= 12) {
                    // Kafka's default partitioner on the record key (the family id), as the load generator keys them.
                    int partition = org.apache.kafka.common.utils.Utils.toPositive(
                            org.apache.kafka.common.utils.Utils.murmur2(family.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
                    slowRows.add(family + "/" + partition + ": " + latency + " ms at " + second);
                }
                samples.incrementAndGet();
            });
        }
    }
}
