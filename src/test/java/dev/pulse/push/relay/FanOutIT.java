package dev.pulse.push.relay;

import static dev.pulse.support.RecentDay.at;
import dev.pulse.support.TestCredentials;
import static dev.pulse.support.EventBodies.login;
import static dev.pulse.support.EventBodies.payment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.PulseApplication;
import dev.pulse.config.KafkaProperties;
import dev.pulse.pipeline.EventPipeline;
import dev.pulse.rules.DetectionId;
import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import dev.pulse.support.TestBroker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * SPEC §4 scale-out, issue 5 "fan-out test": two instances in one consumer group split the partitions,
 * and a dashboard on either one sees the detections and metric updates of partitions the other owns,
 * each exactly once. Instance A is the shared test application; instance B is a second application
 * context in this JVM on the same database, broker and group.
 */
class FanOutIT extends PulseIT {

    /** Snapshots and batch frames can exceed Netty's 64 KiB default frame size (README: clients must accept them). */
    private static final Supplier<WebsocketClientSpec.Builder> LARGE_FRAMES =
            () -> WebsocketClientSpec.builder().maxFramePayloadLength(64 * 1024 * 1024);

    private static final Duration REBALANCE = Duration.ofSeconds(120);

    @Autowired
    EventPipeline pipeline;
    @Autowired
    KafkaProperties kafka;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void shouldDeliverDetectionAndMetricsOfAPartitionOwnedByTheOtherInstanceExactlyOnceToDashboardsOfBoth() {
        String a = pipeline.instanceId();
        String b = "fan-out-b-" + UUID.randomUUID().toString().substring(0, 8);
        ConfigurableApplicationContext instanceB = startInstance(b);
        List<Disposable> sockets = new ArrayList<>();
        int partitionOfB = -1;
        try {
            Map<Integer, String> owners = Poll.until(REBALANCE, "the group to split the partitions between " + a + " and " + b, () -> {
                Map<Integer, String> current = owners();
                return current.size() == TestBroker.PARTITIONS && Set.copyOf(current.values()).equals(Set.of(a, b)) ? current : null;
            });
            partitionOfB = owners.entrySet().stream().filter(e -> e.getValue().equals(b)).findFirst().orElseThrow().getKey();
            String family = familyOnPartition(partitionOfB);

            int portB = Integer.parseInt(Objects.requireNonNull(instanceB.getEnvironment().getProperty("local.server.port")));
            Queue<String> onA = new ConcurrentLinkedQueue<>();
            Queue<String> onB = new ConcurrentLinkedQueue<>();
            sockets.add(connect(port, onA));
            sockets.add(connect(portB, onB));
            Poll.until(Duration.ofSeconds(30), "both dashboards' snapshots",
                    () -> hasType(onA, "snapshot") && hasType(onB, "snapshot") ? true : null);

            String first = uniqueId("p1");
            String second = uniqueId("p2");
            post(portB, payment(first, family, at("10:00:00"), "120.00"),
                    payment(second, family, at("10:02:00"), "120.00"));
            // The last update for the family, sent through A this time (ingest goes to Kafka either way):
            // everything of the family committed before it has reached a dashboard once its metrics have.
            post(port, login(uniqueId("l"), family, at("10:05:00")));
            Poll.until(Duration.ofSeconds(60), "the family's third event on both dashboards",
                    () -> processedCounts(onA, family).contains(3L) && processedCounts(onB, family).contains(3L) ? true : null);

            assertThat(owner(partitionOfB)).as("B owned the family's partition throughout").isEqualTo(b);
            assertThat(partitionOf(family)).isEqualTo(partitionOfB);
            List<Map<String, Object>> detectionsOnA = detections(onA, family);
            assertThat(detectionsOnA).as("A's dashboard got B's detection once").hasSize(1);
            assertThat(detectionsOnA.get(0))
                    .containsEntry("detection_id", DetectionId.of("duplicate_payment", family, second))
                    .containsEntry("pattern", "duplicate_payment")
                    .containsEntry("status", "active");
            assertThat(detections(onB, family)).as("B's own dashboard got it once too, identical").isEqualTo(detectionsOnA);
            List<Long> countsOnA = processedCounts(onA, family);
            assertThat(countsOnA).as("each committed state of the family pushed once, in order").isSorted().doesNotHaveDuplicates()
                    .endsWith(3L);
            // Each client's outbox conflates a family's rows that arrive within one metrics interval, so one dashboard may
            // skip a state the other shows (A: [3], B: [2, 3] in one run); a state both show is the same row on both.
            assertThat(processedCounts(onB, family)).isSorted().doesNotHaveDuplicates().endsWith(3L);
            Map<Object, Map<String, Object>> rowsOnA = new java.util.HashMap<>();
            metricsRows(onA, family).forEach(row -> rowsOnA.put(row.get("events_processed"), row));
            List<Map<String, Object>> sharedOnB = metricsRows(onB, family).stream().filter(row -> rowsOnA.containsKey(row.get("events_processed")))
                    .toList();
            assertThat(sharedOnB).as("B's dashboard showed A's final state, and every state both showed identically").isNotEmpty()
                    .allSatisfy(row -> assertThat(row).isEqualTo(rowsOnA.get(row.get("events_processed"))));

            // Acknowledged through A, the instance that does not own the family: both dashboards hear it once.
            String detectionId = (String) detectionsOnA.get(0).get("detection_id");
            TestCredentials.http("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build()
                    .post().uri("/api/detections/{id}/actions", detectionId).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"action_type\": \"acknowledged\"}")
                    .exchange().expectStatus().isOk();
            Poll.until(Duration.ofSeconds(30), "the acknowledgement on both dashboards",
                    () -> acknowledged(onA, family).size() == 1 && acknowledged(onB, family).size() == 1 ? true : null);
            assertThat(acknowledged(onA, family).get(0)).containsEntry("detection_id", detectionId).containsEntry("status", "active");
            assertThat(acknowledged(onB, family)).isEqualTo(acknowledged(onA, family));
        } finally {
            sockets.forEach(Disposable::dispose);
            instanceB.close();
            // The rest of the suite runs on A alone, whatever happened above: wait until it holds every partition again.
            Poll.until(REBALANCE, "A to own every partition again",
                    () -> owners().size() == TestBroker.PARTITIONS && Set.copyOf(owners().values()).equals(Set.of(a)) ? true : null);
        }
        String probe = familyOnPartition(partitionOfB);
        post(port, login(uniqueId("probe"), probe, at("10:06:00")));
        Poll.until(Duration.ofSeconds(60), "A to process B's former partition", () -> familyOrNull(probe));
    }

    private ConfigurableApplicationContext startInstance(String instanceId) {
        String database = System.getenv().getOrDefault("PULSE_DB_NAME", "pulse_test");
        // Command-line arguments: above every other property source, as PulseIT's dynamic properties are for A.
        return new SpringApplicationBuilder(PulseApplication.class).run(
                "--server.port=0",
                "--pulse.instance.id=" + instanceId,
                "--PULSE_DB_NAME=" + database,
                "--pulse.kafka.bootstrap-servers=" + TestBroker.bootstrapServers(),
                "--pulse.kafka.partitions=" + TestBroker.PARTITIONS,
                "--pulse.kafka.group-id=" + kafka.groupId(),
                "--pulse.stream.idle-advance=0s",
                "--pulse.stream.checkpoint-interval=50ms",
                "--pulse.simulator.enabled=false");
    }

    /** Collects the frames' text; parsed later on the test thread, never on the client's event loop. */
    private Disposable connect(int serverPort, Queue<String> frames) {
        return new ReactorNettyWebSocketClient(HttpClient.create(), LARGE_FRAMES)
                .execute(URI.create("ws://127.0.0.1:" + serverPort + "/ws/dashboard"), TestCredentials.adminHeaders(), session -> session.receive()
                        .map(WebSocketMessage::getPayloadAsText)
                        .doOnNext(frames::add)
                        .then())
                .subscribe();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> parsed(Queue<String> frames) {
        return frames.stream().map(frame -> (Map<String, Object>) json.readValue(frame, Map.class)).toList();
    }

    private boolean hasType(Queue<String> frames, String type) {
        return parsed(frames).stream().anyMatch(f -> type.equals(f.get("type")));
    }

    private List<Map<String, Object>> detections(Queue<String> frames, String family) {
        return parsed(frames).stream().filter(f -> "detection".equals(f.get("type")) && family.equals(f.get("family_id"))).toList();
    }

    private List<Map<String, Object>> acknowledged(Queue<String> frames, String family) {
        return detections(frames, family).stream().filter(d -> "acknowledged".equals(d.get("action_type"))).toList();
    }

    /** The family's rows in {@code metrics} frames, in arrival order. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> metricsRows(Queue<String> frames, String family) {
        return parsed(frames).stream().filter(f -> "metrics".equals(f.get("type")))
                .flatMap(f -> ((List<Map<String, Object>>) f.get("families")).stream())
                .filter(row -> family.equals(row.get("family_id")))
                .toList();
    }

    private List<Long> processedCounts(Queue<String> frames, String family) {
        return metricsRows(frames, family).stream().map(row -> ((Number) row.get("events_processed")).longValue()).toList();
    }

    /** A fresh family id that Kafka's default partitioner puts on {@code partition} (the topic is keyed by family). */
    private static String familyOnPartition(int partition) {
        return IntStream.range(0, 10_000).mapToObj(i -> uniqueFamily("fan-out"))
                .filter(f -> TestBroker.partitionOf(f, TestBroker.PARTITIONS) == partition)
                .findFirst().orElseThrow();
    }

    private Map<Integer, String> owners() {
        return db.sql("select kafka_partition, owner_instance from stream_checkpoints where consumer_group = $1 and topic = $2")
                .bind(0, kafka.groupId()).bind(1, kafka.topic())
                .map(row -> Map.entry(row.get(0, Integer.class), row.get(1, String.class)))
                .all().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))
                .block(Duration.ofSeconds(10));
    }

    private String owner(int partition) {
        return owners().get(partition);
    }

    private int partitionOf(String family) {
        return db.sql("select kafka_partition from realtime_family_metrics where family_id = $1").bind(0, family)
                .map(r -> r.get(0, Integer.class)).one().block(Duration.ofSeconds(10));
    }

    private static void post(int serverPort, String... events) {
        TestCredentials.http("http://127.0.0.1:" + serverPort).responseTimeout(Duration.ofSeconds(30)).build()
                .post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue("[" + String.join(",", events) + "]")
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }
}
