package dev.pulse.push.sse;

import static dev.pulse.support.RecentDay.at;
import dev.pulse.support.TestCredentials;
import static dev.pulse.support.EventBodies.payment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.PulseServer;
import dev.pulse.support.TestBroker;
import dev.pulse.support.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * SSE resume across a server restart (SPEC §5.2): the stream's ids are the stored detection-change numbers, so a
 * client that saw id N before the server went away, and comes back to the restarted server with
 * {@code Last-Event-ID: N}, gets exactly what was committed after N — including what the restarted server
 * committed from events written to the log while it was down — once each, in order, then live ones.
 */
class DetectionStreamRestartIT {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENT = new ParameterizedTypeReference<>() {
    };

    private final PulseServer server = PulseServer.fresh("sse-restart", Map.of());

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldSendEveryDetectionMissedWhileTheServerWasDownOnceThenLiveOnesAfterARestart() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> families = List.of("sse-r-a-" + run, "sse-r-b-" + run, "sse-r-c-" + run, "sse-r-d-" + run);
        Set<String> ours = Set.copyOf(families);
        server.start();
        long before = TestDatabase.single(TestDatabase.shared(), "select coalesce(max(seq), 0) from detection_events");

        // Connected, the client sees the first family's duplicate charge; then the server goes away under it.
        List<ServerSentEvent<Map<String, Object>>> firstSeen = new CopyOnWriteArrayList<>();
        Disposable first = ours(stream(Long.toString(before)), ours).subscribe(firstSeen::add, error -> { });
        post(duplicateCharge(families.get(0), run + "-0"));
        dev.pulse.support.Poll.until(Duration.ofSeconds(30), "the first detection at the client",
                () -> firstSeen.isEmpty() ? null : Boolean.TRUE);
        first.dispose();
        ServerSentEvent<Map<String, Object>> seen = firstSeen.get(0);
        assertThat(seen.data()).containsEntry("family_id", families.get(0)).containsEntry("pattern", "duplicate_payment");
        server.stop();

        // While it is down, two more duplicate charges reach the log; the restarted server commits them.
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 1; i <= 2; i++) {
                for (String event : duplicateCharge(families.get(i), run + "-" + i)) {
                    producer.send(new ProducerRecord<>(server.topic(), families.get(i), event)).get();
                }
            }
        }
        server.start();

        // Back with the last id it saw: the two it missed, then a live one, each once.
        List<ServerSentEvent<Map<String, Object>>> resumed = new CopyOnWriteArrayList<>();
        Disposable second = ours(stream(seen.id()), ours).subscribe(resumed::add, error -> { });
        try {
            dev.pulse.support.Poll.until(Duration.ofSeconds(60), "the two detections missed during the restart",
                    () -> resumed.size() >= 2 ? Boolean.TRUE : null);
            post(duplicateCharge(families.get(3), run + "-3"));
            dev.pulse.support.Poll.until(Duration.ofSeconds(30), "the live detection after them",
                    () -> resumed.size() >= 3 ? Boolean.TRUE : null);
        } finally {
            second.dispose();
        }
        assertThat(resumed.subList(0, 2)).extracting(e -> e.data().get("family_id"))
                .containsExactlyInAnyOrder(families.get(1), families.get(2));
        assertThat(resumed.get(2).data()).containsEntry("family_id", families.get(3));
        assertThat(resumed).extracting(ServerSentEvent::event).containsOnly("detection");
        List<Long> ids = resumed.stream().map(e -> Long.parseLong(e.id())).toList();
        assertThat(ids).as("ids keep growing across the restart").isSorted().doesNotHaveDuplicates()
                .allMatch(id -> id > Long.parseLong(seen.id()));

        // None twice: everything after the first id, read again from the restarted server, is exactly those three.
        List<ServerSentEvent<Map<String, Object>>> again = ours(stream(seen.id()), ours)
                .take(Duration.ofSeconds(3)).collectList().block(Duration.ofSeconds(30));
        assertThat(again).extracting(ServerSentEvent::id).containsExactlyElementsOf(resumed.stream().map(ServerSentEvent::id).toList());
    }

    private Flux<ServerSentEvent<Map<String, Object>>> stream(String lastEventId) {
        return TestCredentials.webClient(server.baseUrl()).build().get().uri("/api/stream/detections")
                .header("Last-Event-ID", lastEventId)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(EVENT);
    }

    /** The events of this test's families (the database is shared with other tests). */
    private static Flux<ServerSentEvent<Map<String, Object>>> ours(Flux<ServerSentEvent<Map<String, Object>>> events, Set<String> families) {
        return events.filter(e -> e.data() != null && families.contains(e.data().get("family_id")));
    }

    /** Two equal payments two minutes apart: one duplicate_payment detection (SPEC §3.3). */
    private static List<String> duplicateCharge(String family, String id) {
        return List.of(payment("p1-" + id, family, at("10:00:00"), "42.00"),
                payment("p2-" + id, family, at("10:02:00"), "42.00"));
    }

    private void post(List<String> events) {
        TestCredentials.http(server.baseUrl()).responseTimeout(Duration.ofSeconds(30)).build()
                .post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue("[" + String.join(",", events) + "]")
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }
}
