package dev.pulse.load;

import dev.pulse.ingest.EventJson;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/events} as NDJSON, a few requests in flight. Every answer must be 202 with all of the
 * request's events accepted: the model only writes valid events, so anything else is a failure to report.
 */
final class HttpSink implements Sink {

    private static final int IN_FLIGHT = 4;

    private final EventJson json = new EventJson();
    private final JsonMapper mapper = JsonMapper.builder().build();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<CompletableFuture<?>> pending = new ConcurrentLinkedQueue<>();
    private final URI events;

    private final String token;

    /** @param token bearer token with role {@code ingest}; null sends none */
    HttpSink(URI base, String token) {
        this.events = base.resolve("/api/events");
        this.token = token;
    }

    @Override
    public void send(List<Map<String, Object>> batch) throws InterruptedException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(batch.size() * 200);
        for (Map<String, Object> event : batch) {
            body.writeBytes(json.write(event));
            body.write('\n');
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(events);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpRequest request = builder
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        inFlight.acquire();
        pending.removeIf(CompletableFuture::isDone);
        pending.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> {
                    inFlight.release();
                    if (error != null) {
                        failures.add(batch.size() + " events: " + error);
                    } else if (response.statusCode() != 202 || accepted(response.body()) != batch.size()) {
                        failures.add(batch.size() + " events: " + response.statusCode() + " " + response.body());
                    }
                }));
    }

    private long accepted(String body) {
        JsonNode answer = mapper.readTree(body);
        return answer.path("accepted").asLong(-1);
    }

    @Override
    public void close() {
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).handle((ok, error) -> null).join();
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " requests failed, first: " + failures.peek());
        }
    }

    @Override
    public String describe() {
        return "POST " + events;
    }
}
