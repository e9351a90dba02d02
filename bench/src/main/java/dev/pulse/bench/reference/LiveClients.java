package dev.pulse.bench.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * N dashboard clients on {@code /ws/dashboard}, measuring event time → frame at the client: for every
 * family row of a {@code metrics} frame, the wall clock at receipt minus the row's
 * {@code last_event_timestamp} (a live stream stamps events with the wall clock when it sends them, on the
 * same machine). Counts only frames received after the warm-up, which starts at the first {@code metrics} frame. Prints p50/p99/max and frames per second.
 *
 * <p>Usage: {@code LiveClients WS_URL CLIENTS WARMUP_S MEASURE_S}.
 */
public final class LiveClients {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MS = 120_000;

    private final AtomicLongArray histogram = new AtomicLongArray(MAX_MS + 1);
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong detections = new AtomicLong();
    private final AtomicLong hubP50 = new AtomicLong(-1);
    private final AtomicLong hubP99 = new AtomicLong(-1);
    private final AtomicLong serverLag = new AtomicLong(-1);
    private final java.util.concurrent.CountDownLatch flowing = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean measuring;

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
        HttpClient http = HttpClient.newHttpClient();
        List<WebSocket> sockets = new ArrayList<>();
        // The WebSocket needs a token (SPEC §5.5): PULSE_TOKEN, as scripts/lib/bench.sh exports it.
        String token = System.getenv("PULSE_TOKEN");
        for (int i = 0; i < clients; i++) {
            WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
            if (token != null && !token.isBlank()) {
                builder.header("Authorization", "Bearer " + token);
            }
            sockets.add(builder.buildAsync(url, new Client()).get(30, TimeUnit.SECONDS));
        }
        System.out.printf("live-clients connected=%d%n", sockets.size());
        // The warm-up starts when the stream does: the first family row any client receives.
        flowing.await();
        Thread.sleep(warmup * 1000L);
        measuring = true;
        Thread.sleep(measure * 1000L);
        measuring = false;
        for (WebSocket socket : sockets) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        System.out.printf("live-clients clients=%d seconds=%d frames=%d frames_per_second=%.0f family_rows=%d detections=%d "
                        + "latency_ms_p50=%d latency_ms_p99=%d latency_ms_max=%d; last status frame: hub_latency_ms_p50=%d "
                        + "hub_latency_ms_p99=%d lag_records=%d%n",
                clients, measure, frames.get(), frames.get() / (double) measure, samples.get(), detections.get(),
                percentile(0.50), percentile(0.99), percentile(1.0), hubP50.get(), hubP99.get(), serverLag.get());
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

    private void frame(String text, long receivedAt) {
        if (!measuring) {
            if (flowing.getCount() > 0 && text.contains("\"metrics\"") && isMetrics(text)) {
                flowing.countDown();
            }
            return;
        }
        frames.incrementAndGet();
        try {
            JsonNode message = JSON.readTree(text);
            String type = message.path("type").asText();
            if (type.equals("metrics")) {
                for (JsonNode row : message.path("families")) {
                    String last = row.path("last_event_timestamp").asText(null);
                    if (last != null) {
                        long latency = receivedAt - Instant.parse(last).toEpochMilli();
                        histogram.incrementAndGet((int) Math.max(0, Math.min(MAX_MS, latency)));
                        samples.incrementAndGet();
                    }
                }
            } else if (type.equals("detection")) {
                detections.incrementAndGet();
            } else if (type.equals("status")) {
                // Pulse's own view: event → its hub, before any client's outbox or socket
                hubP50.set(message.path("latency_ms_p50").asLong(-1));
                hubP99.set(message.path("latency_ms_p99").asLong(-1));
                serverLag.set(message.path("lag").asLong(-1));
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a frame that is not JSON: " + text, e);
        }
    }

    private static boolean isMetrics(String text) {
        try {
            return JSON.readTree(text).path("type").asText().equals("metrics");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Collects a text message's parts; frames are measured when their last part arrives. */
    private final class Client implements WebSocket.Listener {
        private final StringBuilder parts = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            parts.append(data);
            if (last) {
                frame(parts.toString(), System.currentTimeMillis());
                parts.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }
}
