package dev.pulse.push.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.projection.DetectionEvents;
import dev.pulse.projection.DetectionLogRetention;
import dev.pulse.support.PulseIT;
import dev.pulse.support.TestCredentials;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * {@code detection_events}, the log SSE clients resume from, keeps changes for {@code pulse.live.sse-retention}: older
 * ones are deleted, and a client resuming from before them gets {@code event: resync} first, naming where it resumes,
 * instead of silently missing changes. A client resuming after what was deleted notices nothing.
 */
class DetectionLogRetentionIT extends PulseIT {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENT = new ParameterizedTypeReference<>() {
    };

    @Autowired
    DetectionEvents events;

    @Test
    void shouldDeleteChangesPastTheRetentionAndTellAClientResumingFromBeforeThem() {
        String family = uniqueFamily("retention");
        Instant now = Instant.now();
        long old1 = insert(family, "old-1", now.minus(Duration.ofDays(10)));
        long old2 = insert(family, "old-2", now.minus(Duration.ofDays(8)));
        long recent = insert(family, "recent", now.minus(Duration.ofHours(1)));

        long deleted = new DetectionLogRetention(events, Duration.ofDays(7), Duration.ofHours(1), InstantSource.system(),
                Schedulers.parallel()).pruneAll().block(Duration.ofSeconds(30));

        assertThat(deleted).as("changes deleted").isGreaterThanOrEqualTo(2);
        assertThat(seqsOf(family)).as("what the log still holds of the family").containsExactly(recent);
        long through = events.prunedThrough().block(Duration.ofSeconds(10));
        assertThat(through).isGreaterThanOrEqualTo(old2).isLessThan(recent);

        List<ServerSentEvent<Map<String, Object>>> fromBefore = ours(stream(old1 - 1), family);
        assertThat(fromBefore.get(0).event()).as("told first that it missed changes").isEqualTo("resync");
        assertThat(((Number) fromBefore.get(0).data().get("resumed_after")).longValue()).isEqualTo(through);
        assertThat(fromBefore.subList(1, fromBefore.size())).extracting(ServerSentEvent::id).containsExactly(Long.toString(recent));

        List<ServerSentEvent<Map<String, Object>>> fromAfter = ours(stream(through), family);
        assertThat(fromAfter).extracting(ServerSentEvent::event).as("nothing it saw is gone: no resync").containsExactly("detection");
    }

    private long insert(String family, String anchor, Instant committedAt) {
        return db.sql("""
                        insert into detection_events (change, detection_id, pattern, family_id, anchor, severity, severity_rank,
                               confidence, matched_events, status, detected_at, created_at, committed_at)
                        values ('emitted', $1, 'duplicate_payment', $2, $3, 'warning', 2, 0.9, '[]'::jsonb, 'active', $4, $4, $4)
                        returning seq""")
                .bind(0, "d-" + family + "-" + anchor)
                .bind(1, family)
                .bind(2, anchor)
                .bind(3, committedAt)
                .map(row -> row.get(0, Long.class))
                .one()
                .block(Duration.ofSeconds(10));
    }

    private List<Long> seqsOf(String family) {
        return db.sql("select seq from detection_events where family_id = $1 order by seq").bind(0, family)
                .map(row -> row.get(0, Long.class)).all().collectList().block(Duration.ofSeconds(10));
    }

    private Flux<ServerSentEvent<Map<String, Object>>> stream(long lastEventId) {
        return TestCredentials.webClient("http://127.0.0.1:" + port).build().get().uri("/api/stream/detections")
                .header("Last-Event-ID", Long.toString(lastEventId))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(EVENT);
    }

    /** Resyncs and this family's changes (the database is shared with other tests) over the first three seconds. */
    private static List<ServerSentEvent<Map<String, Object>>> ours(Flux<ServerSentEvent<Map<String, Object>>> events, String family) {
        return events.filter(e -> "resync".equals(e.event()) || e.data() != null && family.equals(e.data().get("family_id")))
                .take(Duration.ofSeconds(3))
                .collectList()
                .block(Duration.ofSeconds(30));
    }
}
