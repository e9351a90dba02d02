package dev.pulse.push.sse;

import static dev.pulse.support.RecentDay.at;
import dev.pulse.support.TestCredentials;
import static dev.pulse.support.EventBodies.payment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.PulseIT;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/**
 * {@code GET /api/stream/detections} through the real pipeline and database (SPEC §5.2): a client that
 * disconnects and comes back with {@code Last-Event-ID} gets exactly the detection changes it missed, once,
 * in order, then live ones.
 */
class DetectionStreamIT extends PulseIT {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENT = new ParameterizedTypeReference<>() {
    };

    @Test
    void shouldSendEveryMissedDetectionOnceAfterLastEventIdThenLiveOnes() {
        List<String> families = List.of(uniqueFamily("sse-a"), uniqueFamily("sse-b"), uniqueFamily("sse-c"), uniqueFamily("sse-d"));
        Set<String> ours = Set.copyOf(families);
        long before = db.sql("select coalesce(max(seq), 0) from detection_events").map(row -> row.get(0, Long.class)).one().block();

        // Connected, the client receives the first family's duplicate charge, then goes away.
        Iterator<ServerSentEvent<Map<String, Object>>> first = ours(stream(Long.toString(before)), ours).toIterable(1).iterator();
        duplicateCharge(families.get(0));
        ServerSentEvent<Map<String, Object>> seen = first.next();
        assertThat(seen.data()).containsEntry("family_id", families.get(0)).containsEntry("pattern", "duplicate_payment");
        long lastId = Long.parseLong(seen.id());
        assertThat(lastId).isGreaterThan(before);

        // Two more detections commit while it is away.
        duplicateCharge(families.get(1));
        duplicateCharge(families.get(2));
        awaitStored(families.get(1));
        awaitStored(families.get(2));

        // Back with the last id it saw: the two it missed, in order, then a live one.
        Iterator<ServerSentEvent<Map<String, Object>>> resumed = ours(stream(seen.id()), ours).toIterable(1).iterator();
        ServerSentEvent<Map<String, Object>> missed1 = resumed.next();
        ServerSentEvent<Map<String, Object>> missed2 = resumed.next();
        duplicateCharge(families.get(3));
        ServerSentEvent<Map<String, Object>> live = resumed.next();
        assertThat(List.of(missed1, missed2, live)).extracting(e -> e.data().get("family_id"))
                .containsExactly(families.get(1), families.get(2), families.get(3));
        assertThat(List.of(missed1, missed2, live)).extracting(ServerSentEvent::event).containsOnly("detection");
        assertThat(Long.parseLong(missed1.id())).isGreaterThan(lastId);
        assertThat(Long.parseLong(missed2.id())).isGreaterThan(Long.parseLong(missed1.id()));
        assertThat(Long.parseLong(live.id())).isGreaterThan(Long.parseLong(missed2.id()));

        // None twice: everything after the first id, read again, is exactly those three.
        List<ServerSentEvent<Map<String, Object>>> again = ours(stream(seen.id()), ours)
                .take(Duration.ofSeconds(3)).collectList().block(Duration.ofSeconds(30));
        assertThat(again).extracting(ServerSentEvent::id).containsExactly(missed1.id(), missed2.id(), live.id());
    }

    @Test
    void shouldRefuseALastEventIdThatIsNotAnId() {
        http.get().uri("/api/stream/detections").header("Last-Event-ID", "yesterday").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isEqualTo(HttpStatus.BAD_REQUEST);
    }

    private Flux<ServerSentEvent<Map<String, Object>>> stream(String lastEventId) {
        return TestCredentials.webClient("http://127.0.0.1:" + port).build().get().uri("/api/stream/detections")
                .header("Last-Event-ID", lastEventId)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(EVENT);
    }

    /** The events of these families (the test database is shared with other tests), with a deadline. */
    private static Flux<ServerSentEvent<Map<String, Object>>> ours(Flux<ServerSentEvent<Map<String, Object>>> events, Set<String> families) {
        return events.filter(e -> e.data() != null && families.contains(e.data().get("family_id")))
                .timeout(Duration.ofSeconds(30));
    }

    /** Two equal payments two minutes apart: one duplicate_payment detection (SPEC §3.3). */
    private void duplicateCharge(String family) {
        String body = "[" + payment(uniqueId("p1"), family, at("10:00:00"), "42.00") + ","
                + payment(uniqueId("p2"), family, at("10:02:00"), "42.00") + "]";
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }

    private void awaitStored(String family) {
        dev.pulse.support.Poll.until(Duration.ofSeconds(30), "detection change of " + family,
                () -> db.sql("select count(*) from detection_events where family_id = $1").bind(0, family)
                        .map(row -> row.get(0, Long.class)).one().block() > 0 ? Boolean.TRUE : null);
    }
}
