package dev.pulse.bench.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until a consumer has committed every record of a topic and prints how fast it got there. The clock
 * starts at the first committed progress (so JVM and framework start-up are not counted for either side)
 * and stops when the committed position reaches the end offsets. "Committed" means: for a Kafka group
 * (Kafka Streams), its committed offsets; for Pulse, the offsets in its checkpoint rows
 * ({@code GET /api/stream/status}), which are written in the same transaction as the projections.
 *
 * <p>Usage: {@code Progress BOOTSTRAP TOPIC (group:ID | pulse:http://host:port) LABEL [TIMEOUT_S]}. Prints
 * one line {@code LABEL records=N seconds=S rate=R} and exits 0, or exits 1 on timeout.
 */
public final class Progress {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Progress() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        String source = args[2];
        String label = args[3];
        long timeoutSeconds = args.length > 4 ? Long.parseLong(args[4]) : 3600;
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        HttpClient http = HttpClient.newHttpClient();
        try (Admin admin = Admin.create(config)) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            long end = 0;
            for (var info : admin.listOffsets(latest).all().get().values()) {
                end += info.offset();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
            long startNanos = 0;
            long startRecords = 0;
            long committed = 0;
            while (System.nanoTime() < deadline) {
                committed = source.startsWith("group:") ? groupCommitted(admin, source.substring(6), partitions)
                        : pulseCommitted(http, source.substring(6));
                long now = System.nanoTime();
                if (startNanos == 0 && committed > 0) {
                    startNanos = now;
                    startRecords = committed;
                }
                if (committed >= end) {
                    double seconds = (now - startNanos) / 1e9;
                    System.out.printf("%s records=%d seconds=%.2f rate=%.0f%n", label, end, seconds,
                            seconds > 0 ? (end - startRecords) / seconds : Double.NaN);
                    return;
                }
                Thread.sleep(200);
            }
            System.out.printf("%s timed out after %d s: %d of %d records committed%n", label, timeoutSeconds, committed, end);
            System.exit(1);
        }
    }

    private static long groupCommitted(Admin admin, String group, List<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        long sum = 0;
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = offsets.get(partition);
            sum += offset == null ? 0 : offset.offset();
        }
        return sum;
    }

    /** Pulse answers only with a token (SPEC §5.5): {@code PULSE_TOKEN}, as scripts/lib/bench.sh exports it. */
    static HttpRequest.Builder authorized(HttpRequest.Builder request) {
        String token = System.getenv("PULSE_TOKEN");
        return token == null || token.isBlank() ? request : request.header("Authorization", "Bearer " + token);
    }

    private static long pulseCommitted(HttpClient http, String base) {
        try {
            HttpResponse<String> response = http.send(authorized(HttpRequest.newBuilder(URI.create(base + "/api/stream/status")))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return 0;
            }
            long sum = 0;
            for (JsonNode partition : JSON.readTree(response.body()).path("partitions")) {
                if (partition.hasNonNull("offset")) {
                    sum += partition.get("offset").asLong() + 1;
                }
            }
            return sum;
        } catch (java.io.IOException e) {
            return 0; // not up yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
