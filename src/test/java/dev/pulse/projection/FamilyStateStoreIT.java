package dev.pulse.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.projection.FamilyStateStore.Changes;
import dev.pulse.projection.FamilyStateStore.RetainedEvent;
import dev.pulse.support.PulseIT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * {@link FamilyStateStore} against the real PostgreSQL: heads and retained events written in a transaction as the
 * checkpoint writes them read back as they were written, a pruned range deletes exactly the rows in it, and a
 * partition's state is read apart from every other partition's. Each test writes under a partition number of its
 * own, far above any the broker has, so the pipeline never reads or writes it.
 */
class FamilyStateStoreIT extends PulseIT {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final long T0 = Instant.parse("2026-11-20T00:00:00Z").toEpochMilli();

    @Autowired
    private FamilyStateStore store;
    @Autowired
    private ReactiveTransactionManager transactionManager;

    private int partition;
    private String family;

    @BeforeEach
    void ownPartition() {
        partition = 10_000 + ThreadLocalRandom.current().nextInt(1_000_000);
        family = uniqueFamily("state");
    }

    private void write(Changes changes) {
        TransactionalOperator.create(transactionManager).transactional(store.write(partition, changes, NOW)).block(Duration.ofSeconds(30));
    }

    private static Changes appended(Map<String, byte[]> heads, List<RetainedEvent> events) {
        return new Changes(heads, events, Long.MIN_VALUE, Changes.NOTHING_PRUNED);
    }

    private RetainedEvent event(String id, long millis, byte... body) {
        return new RetainedEvent(family, id, millis, body);
    }

    private List<RetainedEvent> stored() {
        return store.retainedEvents(partition).collectList().block(Duration.ofSeconds(30));
    }

    @Test
    void shouldReadBackHeadsAndRetainedEventsAsWrittenWhenBytesAreArbitrary() {
        byte[] head = {4, 0, -1, 127, -128, 0, 0, 92, 39, 0};                   // NULs, quotes, backslashes, high bytes
        write(appended(Map.of(family, head), List.of(
                event("b", T0 + 2_000, (byte) 1, (byte) 0, (byte) -1),
                event("a", T0 + 1_000, (byte) 1, (byte) 92),
                event("ünïcødé ✓", T0 + 3_000, (byte) 1))));

        assertThat(store.heads(partition).collectList().block(Duration.ofSeconds(30)))
                .singleElement()
                .satisfies(entry -> {
                    assertThat(entry.getKey()).isEqualTo(family);
                    assertThat(entry.getValue()).containsExactly(head);
                });
        List<RetainedEvent> events = stored();
        assertThat(events).extracting(RetainedEvent::eventId).as("oldest first").containsExactly("a", "b", "ünïcødé ✓");
        assertThat(events).extracting(RetainedEvent::eventMillis).containsExactly(T0 + 1_000, T0 + 2_000, T0 + 3_000);
        assertThat(events).extracting(RetainedEvent::familyId).containsOnly(family);
        assertThat(events.get(1).body()).containsExactly(1, 0, -1);
        assertThat(events.get(0).body()).containsExactly(1, 92);
    }

    @Test
    void shouldDeleteExactlyTheRowsOfThePrunedRangeWhenTheHorizonMoves() {
        List<RetainedEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(event("e" + i, T0 + i * 1_000L, (byte) 1));
        }
        write(appended(Map.of(family, new byte[] {4}), events));

        // [T0 + 3 s, T0 + 7 s): e3..e6 go, the bounds included below and excluded above
        write(new Changes(Map.of(), List.of(), T0 + 3_000, T0 + 7_000));

        assertThat(stored()).extracting(RetainedEvent::eventId).containsExactly("e0", "e1", "e2", "e7", "e8", "e9");
        write(new Changes(Map.of(), List.of(), Long.MIN_VALUE, T0 + 8_000));
        assertThat(stored()).extracting(RetainedEvent::eventId).as("open below").containsExactly("e8", "e9");
    }

    @Test
    void shouldLeaveOtherPartitionsAloneWhenPruningOrReading() {
        write(appended(Map.of(family, new byte[] {4}), List.of(event("mine", T0, (byte) 1))));
        int mine = partition;
        partition = mine + 1;
        String other = family + "-other";
        write(appended(Map.of(other, new byte[] {4}), List.of(new RetainedEvent(other, "theirs", T0, new byte[] {1}))));

        write(new Changes(Map.of(), List.of(), Long.MIN_VALUE, T0 + 1));
        partition = mine;

        assertThat(stored()).extracting(RetainedEvent::eventId).containsExactly("mine");
        assertThat(store.heads(mine).map(Map.Entry::getKey).collectList().block()).containsExactly(family);
    }

    @Test
    void shouldRewriteOnlyTheHeadAndAddOnlyTheNewRowWhenAFamilyWithHistoryGetsOneMoreEvent() {
        List<RetainedEvent> history = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            history.add(event(String.format("h%04d", i), T0 + i * 60_000L, "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        }
        write(appended(Map.of(family, new byte[] {4, 1}), history));
        Map<String, String> versionsBefore = rowVersions();

        write(appended(Map.of(family, new byte[] {4, 2}), List.of(event("new", T0 + 500 * 60_000L, (byte) 1))));

        Map<String, String> versionsAfter = rowVersions();
        assertThat(versionsAfter).hasSize(501);
        history.forEach(e -> assertThat(versionsAfter.get(e.eventId())).as("row of %s left as it was", e.eventId())
                .isEqualTo(versionsBefore.get(e.eventId())));
        assertThat(rowsWrittenWithTheHead()).as("rows written by the transaction that rewrote the head").isEqualTo(1);
    }

    @Test
    void shouldRefuseAnEventStoredTwiceWhenTheEngineHandsItOverAgain() {
        write(appended(Map.of(), List.of(event("once", T0, (byte) 1))));

        assertThatThrownBy(() -> write(appended(Map.of(), List.of(event("once", T0, (byte) 1)))))
                .hasMessageContaining("family_retained_events_pkey");
    }

    /** Each row's version ({@code xmin}, the transaction that wrote it) by event id. */
    private Map<String, String> rowVersions() {
        return db.sql("select event_id, xmin::text from family_retained_events where kafka_partition = $1")
                .bind(0, partition)
                .map(row -> Map.entry(row.get(0, String.class), row.get(1, String.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .block(Duration.ofSeconds(30));
    }

    private long rowsWrittenWithTheHead() {
        return db.sql("""
                        select count(*) from family_retained_events e, family_operator_state s
                         where e.kafka_partition = $1 and s.family_id = $2 and e.xmin = s.xmin""")
                .bind(0, partition)
                .bind(1, family)
                .map(row -> row.get(0, Long.class))
                .one()
                .block(Duration.ofSeconds(30));
    }
}
