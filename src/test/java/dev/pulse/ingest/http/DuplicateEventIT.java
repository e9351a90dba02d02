package dev.pulse.ingest.http;

import static dev.pulse.support.RecentDay.at;
import static dev.pulse.support.EventBodies.login;
import static dev.pulse.support.EventBodies.score;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** SPEC §1.4: an event id seen before is dropped and counted, never counted twice. */
class DuplicateEventIT extends PulseIT {

    @Test
    void shouldCountAnEventPostedTwiceOnce() {
        String family = uniqueFamily("dup");
        String event = score(uniqueId("once"), family, at("09:00:00"), 64);
        post(event);
        Poll.until(Duration.ofSeconds(30), "first copy processed", () -> processedUpTo(family, at("09:00:00")));
        long duplicatesBefore = duplicatesDropped();

        post(event);
        // A marker event posted after the duplicate, on the same partition: once it is processed, so is the duplicate.
        post(login(uniqueId("marker"), family, at("09:01:00")));
        Map<?, ?> row = Poll.until(Duration.ofSeconds(30), "marker processed", () -> processedUpTo(family, at("09:01:00")));

        assertThat(row.get("events_processed")).as("the duplicate is not counted").isEqualTo(2);
        assertThat(duplicatesDropped() - duplicatesBefore).as("duplicates_dropped").isEqualTo(1);
    }

    @Test
    void shouldCountTheSameArrayPostedTwiceOnceIncludingRepeatsInsideIt() {
        String family = uniqueFamily("duparray");
        String a = score(uniqueId("a"), family, at("09:00:00"), 90);
        String b = login(uniqueId("b"), family, at("09:02:00"));
        String array = "[" + a + "," + b + "," + a + "]";
        post(array);
        post(array);
        post(login(uniqueId("marker"), family, at("09:03:00")));

        Map<?, ?> row = Poll.until(Duration.ofSeconds(30), "marker processed", () -> processedUpTo(family, at("09:03:00")));
        assertThat(row.get("events_processed")).isEqualTo(3);
        assertThat(row.get("current_engagement_score")).isEqualTo(90);
    }

    private void post(String body) {
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }

    /** The family's row once its latest event is the one at {@code timestamp}: everything posted before it is processed. */
    private Map<?, ?> processedUpTo(String family, String timestamp) {
        Map<?, ?> row = familyOrNull(family);
        return row != null && timestamp.equals(row.get("last_event_timestamp")) ? row : null;
    }

    private long duplicatesDropped() {
        return db.sql("select coalesce(sum(duplicates_dropped), 0) from stream_checkpoints")
                .map(r -> ((Number) r.get(0)).longValue()).one().block(Duration.ofSeconds(5));
    }
}
