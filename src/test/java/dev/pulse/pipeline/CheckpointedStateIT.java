package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.config.KafkaProperties;
import dev.pulse.engine.EngineSettings;
import dev.pulse.engine.PartitionEngine;
import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.ingest.EventJson;
import dev.pulse.support.EventBodies;
import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import dev.pulse.support.TestBroker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The keyed state as the pipeline checkpoints it (SPEC §4), in the real database: a checkpoint writes the new
 * events of a family and its small head, not its history again; a partition assigned anew restores every family
 * from those rows; and state stored by an earlier Pulse (the whole history inside the head) is converted on
 * assignment. Events are timed a day or two behind the partition's stream time, so that they are retained but
 * move no other test's stream time.
 */
class CheckpointedStateIT extends PulseIT {

    private static final int HISTORY = 300;

    @Autowired
    KafkaProperties kafka;
    @Autowired
    EventPipeline pipeline;

    @Test
    void shouldWriteOnlyTheNewEventAndTheHeadWhenAFamilyWithHistoryGetsOneMoreEvent() {
        String family = uniqueFamily("history");
        Instant start = streamTime(partitionOf(family)).minus(Duration.ofDays(2));
        postLogins(family, start, 0, HISTORY);
        awaitProcessed(family, HISTORY);
        assertThat(retainedRows(family)).isEqualTo(HISTORY);
        Map<String, String> versionsBefore = rowVersions(family);

        postLogins(family, start, HISTORY, 1);
        awaitProcessed(family, HISTORY + 1);

        Map<String, String> versionsAfter = rowVersions(family);
        assertThat(versionsAfter).hasSize(HISTORY + 1);
        versionsBefore.forEach((id, version) -> assertThat(versionsAfter.get(id)).as("row of %s not written again", id)
                .isEqualTo(version));
        assertThat(rowsWrittenWithTheHead(family)).as("event rows the head's transaction wrote").isEqualTo(1);
        assertThat(headBytes(family)).as("the head does not hold the history").isLessThan(1_024);
    }

    @Test
    void shouldRestoreEveryRetainedEventWhenThePartitionIsAssignedAgain() {
        String family = uniqueFamily("restored");
        int partition = partitionOf(family);
        Instant start = streamTime(partition).minus(Duration.ofDays(2));
        postLogins(family, start, 0, 20);
        awaitProcessed(family, 20);

        long fencedBefore = pipeline.fencedCheckpoints();
        reassign(partition);
        postLogins(family, start, 20, 1);

        Map<String, Object> row = awaitProcessed(family, 21);
        assertThat(pipeline.fencedCheckpoints()).as("the partition was taken away and claimed back").isGreaterThan(fencedBefore);
        assertThat(row.get("logins_last_7_days")).as("the 20 logins came back from their rows").isEqualTo(21);
        assertThat(retainedRows(family)).isEqualTo(21);
    }

    @Test
    void shouldConvertStateThatHoldsItsEventsWhenThePartitionIsAssigned() {
        String family = uniqueFamily("old-form");
        int partition = partitionOf(family);
        Instant start = streamTime(partition).minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        PartitionEngine engine = PartitionEngine.fresh(EngineSettings.defaults(), InstantSource.system());
        List<Event> logins = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            logins.add(Events.login(family).at(start.plusSeconds(i)).id(uniqueId("old")).build());
        }
        engine.apply(logins);
        db.sql("insert into family_operator_state (family_id, kafka_partition, state, updated_at) values ($1, $2, $3, now())")
                .bind(0, family)
                .bind(1, partition)
                .bind(2, VersionThreeState.encode(engine.snapshot(family), new EventJson()))
                .then().block(Duration.ofSeconds(10));

        reassign(partition);
        postLogins(family, start, 3, 1);

        Map<String, Object> row = awaitProcessed(family, 4);
        assertThat(row.get("logins_last_7_days")).as("the 3 logins of the old state count").isEqualTo(4);
        assertThat(retainedRows(family)).isEqualTo(4);
        assertThat(db.sql("select get_byte(state, 0) from family_operator_state where family_id = $1").bind(0, family)
                .map(r -> r.get(0, Integer.class)).one().block(Duration.ofSeconds(10)))
                .as("encoding version of the head: the current one").isEqualTo(5);
    }

    // --- helpers ------------------------------------------------------------------------------------

    /** Logins number {@code from} to {@code from + count - 1}, a minute apart from {@code start}, in one request. */
    private void postLogins(String family, Instant start, int from, int count) {
        StringBuilder body = new StringBuilder("[");
        for (int i = from; i < from + count; i++) {
            body.append(i == from ? "" : ",").append(EventBodies.login(family + "-login-" + i, family,
                    start.plus(Duration.ofMinutes(i)).toString()));
        }
        http.post().uri("/api/events").contentType(MediaType.APPLICATION_JSON).bodyValue(body.append("]").toString())
                .exchange().expectStatus().isEqualTo(HttpStatus.ACCEPTED);
    }

    private Map<String, Object> awaitProcessed(String family, int events) {
        return Poll.until(Duration.ofSeconds(60), family + " at " + events + " events", () -> {
            Map<String, Object> row = familyOrNull(family);
            return row != null && Integer.valueOf(events).equals(row.get("events_processed")) ? row : null;
        });
    }

    /** Takes the partition away the way another instance's claim would: this instance's next checkpoint is fenced. */
    private void reassign(int partition) {
        db.sql("update stream_checkpoints set owner_epoch = owner_epoch + 1, owner_instance = 'another-instance'"
                        + " where consumer_group = $1 and topic = $2 and kafka_partition = $3")
                .bind(0, kafka.groupId()).bind(1, kafka.topic()).bind(2, partition)
                .then().block(Duration.ofSeconds(10));
    }

    private long retainedRows(String family) {
        return db.sql("select count(*) from family_retained_events where family_id = $1").bind(0, family)
                .map(r -> r.get(0, Long.class)).one().block(Duration.ofSeconds(10));
    }

    /** Each row's version ({@code xmin}, the transaction that wrote it) by event id. */
    private Map<String, String> rowVersions(String family) {
        return db.sql("select event_id, xmin::text from family_retained_events where family_id = $1").bind(0, family)
                .map(r -> Map.entry(r.get(0, String.class), r.get(1, String.class)))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue).block(Duration.ofSeconds(10));
    }

    private long rowsWrittenWithTheHead(String family) {
        return db.sql("""
                        select count(*) from family_retained_events e, family_operator_state s
                         where e.family_id = $1 and s.family_id = $1 and e.xmin = s.xmin""")
                .bind(0, family)
                .map(r -> r.get(0, Long.class)).one().block(Duration.ofSeconds(10));
    }

    private int headBytes(String family) {
        return db.sql("select octet_length(state) from family_operator_state where family_id = $1").bind(0, family)
                .map(r -> r.get(0, Integer.class)).one().block(Duration.ofSeconds(10));
    }

    /** Kafka's default partitioner on the family id, the record key. */
    private int partitionOf(String family) {
        return TestBroker.partitionOf(family, kafka.partitions());
    }

    private Instant streamTime(int partition) {
        OffsetDateTime stored = db.sql("select stream_time from stream_checkpoints where consumer_group = $1 and topic = $2"
                        + " and kafka_partition = $3")
                .bind(0, kafka.groupId()).bind(1, kafka.topic()).bind(2, partition)
                .map(row -> Optional.ofNullable(row.get(0, OffsetDateTime.class)))
                .one().blockOptional(Duration.ofSeconds(5))
                .flatMap(o -> o)
                .orElse(null);
        return stored != null ? stored.toInstant() : Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
