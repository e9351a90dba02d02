package dev.pulse.stream.window;

import static dev.pulse.stream.window.WindowCounterTest.watermark;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.stream.time.Watermark;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A micro-batch's outcomes folded into disjoint upserts and deletes: the last outcome per stored row wins,
 * whether folded from outcomes or kept by the counter ({@link WindowCounter#takeChanges}).
 */
class CounterChangesTest {

    private static final String FAMILY = "family-1";
    private static final WindowSpec SESSION = WindowSpec.session(Duration.ofMinutes(30));

    @Test
    void shouldDeleteRowWhenBatchUpsertsItAndThenMergesItIntoEarlierSession() {
        WindowCounter counter = new WindowCounter(List.of(SESSION), Duration.ZERO);
        List<Outcome> batch = new ArrayList<>();
        batch.addAll(counter.onEvent(login("09:40:00", "l1"), Watermark.NONE));
        batch.addAll(counter.onEvent(login("09:15:00", "l2"), Watermark.NONE));

        CounterChanges changes = CounterChanges.of(batch);

        assertThat(changes.deletes()).containsExactly(key(WindowTest.window("2026-11-23T09:40:00Z", "2026-11-23T10:10:00Z")));
        assertThat(changes.upserts()).containsExactly(new CounterRow(
                key(WindowTest.window("2026-11-23T09:15:00Z", "2026-11-23T10:10:00Z")), Aggregate.countOnly(2), false));
    }

    @Test
    void shouldUpsertRowWhenBatchRemovesItAndThenWritesSameStartAgain() {
        CounterKey shifted = new CounterKey(FAMILY, "PaymentReceived", WindowSpec.count(2, 2),
                WindowTest.window("2026-11-23T09:00:01Z", "2026-11-23T09:00:03.001Z"));
        CounterRow back = new CounterRow(new CounterKey(FAMILY, "PaymentReceived", WindowSpec.count(2, 2),
                WindowTest.window("2026-11-23T09:00:01Z", "2026-11-23T09:00:02.001Z")), Aggregate.countOnly(2), false);

        CounterChanges changes = CounterChanges.of(List.of(new Outcome.Removed(shifted), new Outcome.Updated(back)));

        assertThat(changes.deletes()).isEmpty();
        assertThat(changes.upserts()).containsExactly(back);
    }

    @Test
    void shouldKeepLatestRowWhenBatchUpdatesSameRowTwice() {
        WindowCounter counter = new WindowCounter(List.of(WindowSpec.tumbling(Duration.ofMinutes(1))), Duration.ZERO);
        List<Outcome> batch = new ArrayList<>();
        batch.addAll(counter.onEvent(login("09:10:10", "l1"), Watermark.NONE));
        batch.addAll(counter.onEvent(login("09:10:20", "l2"), Watermark.NONE));
        batch.addAll(counter.onWatermark(watermark("09:11:00")));

        CounterChanges changes = CounterChanges.of(batch);

        assertThat(changes.upserts()).singleElement()
                .satisfies(row -> assertThat(row.aggregate().eventCount()).isEqualTo(2))
                .satisfies(row -> assertThat(row.isFinal()).isTrue());
    }

    @Test
    void shouldKeepEveryLateRecordWhenEventsMissWindows() {
        WindowCounter counter = new WindowCounter(List.of(WindowSpec.tumbling(Duration.ofMinutes(1)), SESSION), Duration.ZERO);
        List<Outcome> batch = new ArrayList<>(counter.onEvent(login("09:00:00", "l1"), watermark("10:00:00")));

        CounterChanges changes = CounterChanges.of(batch);

        assertThat(changes.lates()).extracting(Outcome.Late::spec).containsExactly(WindowSpec.tumbling(Duration.ofMinutes(1)), SESSION);
        assertThat(changes.upserts()).isEmpty();
    }

    // ---------------------------------------------------------------- the same folds, kept by the counter

    @Test
    void shouldTakeDeleteOfSupersededRowWhenCounterMergesSessionWithinBatch() {
        WindowCounter counter = new WindowCounter(List.of(SESSION), Duration.ZERO);
        counter.count(login("09:40:00", "l1"), Watermark.NONE);
        counter.count(login("09:15:00", "l2"), Watermark.NONE);

        CounterChanges changes = counter.takeChanges();

        assertThat(changes.deletes()).containsExactly(key(WindowTest.window("2026-11-23T09:40:00Z", "2026-11-23T10:10:00Z")));
        assertThat(changes.upserts()).containsExactly(new CounterRow(
                key(WindowTest.window("2026-11-23T09:15:00Z", "2026-11-23T10:10:00Z")), Aggregate.countOnly(2), false));
    }

    @Test
    void shouldTakeLatestRowOnceWhenBatchUpdatesSameRowTwiceAndFinalizesIt() {
        WindowCounter counter = new WindowCounter(List.of(WindowSpec.tumbling(Duration.ofMinutes(1))), Duration.ZERO);
        counter.count(login("09:10:10", "l1"), Watermark.NONE);
        counter.count(login("09:10:20", "l2"), Watermark.NONE);
        counter.advanceTo(watermark("09:11:00"));

        CounterChanges changes = counter.takeChanges();

        assertThat(changes.upserts()).singleElement()
                .satisfies(row -> assertThat(row.aggregate().eventCount()).isEqualTo(2))
                .satisfies(row -> assertThat(row.isFinal()).isTrue());
        assertThat(counter.takeChanges().isEmpty()).as("taken once").isTrue();
    }

    @Test
    void shouldTakeNoRowWhenWatermarkAloneMakesRowsFinalAndFinalRowsAreNoChange() {
        List<WindowSpec> specs = List.of(WindowSpec.tumbling(Duration.ofMinutes(1)), SESSION, WindowSpec.count(2, 2));
        WindowCounter counter = new WindowCounter(specs, Duration.ofHours(1), false);
        counter.count(login("09:10:10", "l1"), Watermark.NONE);
        counter.count(login("09:10:20", "l2"), Watermark.NONE);
        assertThat(counter.takeChanges().upserts()).as("the events' rows: minute, session, pair").hasSize(3);

        counter.advanceTo(watermark("10:00:00"));

        assertThat(counter.takeChanges().isEmpty()).as("every row is final now, none changed").isTrue();
        Event late = login("09:10:30", "l3");
        counter.count(late, watermark("10:00:00"));
        assertThat(counter.takeChanges().upserts()).as("a late event within the lateness still changes its rows")
                .filteredOn(row -> row.key().spec().equals(WindowSpec.tumbling(Duration.ofMinutes(1))))
                .singleElement()
                .satisfies(row -> assertThat(row.aggregate().eventCount()).isEqualTo(3));
    }

    @Test
    void shouldTakeRowOnceWithItsContentWhenBatchUpdatesItAndThenMakesItFinalAndFinalRowsAreNoChange() {
        WindowCounter counter = new WindowCounter(List.of(WindowSpec.tumbling(Duration.ofMinutes(1))), Duration.ZERO, false);
        counter.count(login("09:10:10", "l1"), Watermark.NONE);
        counter.count(login("09:10:20", "l2"), Watermark.NONE);
        counter.advanceTo(watermark("09:11:00"));

        assertThat(counter.takeChanges().upserts()).singleElement()
                .satisfies(row -> assertThat(row.aggregate().eventCount()).isEqualTo(2));
    }

    @Test
    void shouldTakeNoRowWhenSnapshotIsRestoredUnderLaterWatermarkAndFinalRowsAreNoChange() {
        WindowCounter before = new WindowCounter(List.of(WindowSpec.tumbling(Duration.ofMinutes(1)), SESSION), Duration.ZERO, false);
        before.count(login("09:10:10", "l1"), Watermark.NONE);
        WindowSnapshot snapshot = before.snapshot(FAMILY).orElseThrow();
        WindowCounter after = new WindowCounter(List.of(WindowSpec.tumbling(Duration.ofMinutes(1)), SESSION), Duration.ZERO, false);
        after.advanceTo(watermark("11:00:00"));

        after.restoreFamily(snapshot);

        assertThat(after.takeChanges().isEmpty()).as("the stored rows already hold what the windows counted").isTrue();
    }

    @Test
    void shouldTakeEveryLateRecordWhenEventsMissWindows() {
        WindowCounter counter = new WindowCounter(List.of(WindowSpec.tumbling(Duration.ofMinutes(1)), SESSION), Duration.ZERO);
        counter.count(login("09:00:00", "l1"), watermark("10:00:00"));

        CounterChanges changes = counter.takeChanges();

        assertThat(changes.lates()).extracting(Outcome.Late::spec).containsExactly(WindowSpec.tumbling(Duration.ofMinutes(1)), SESSION);
        assertThat(changes.upserts()).isEmpty();
    }

    @Test
    void shouldUpsertRowWhenCountWindowIsRemovedAndThenWrittenAtSameStartWithinBatch() {
        WindowSpec pairs = WindowSpec.count(2, 2);
        List<Event> events = List.of(payment("09:00:01", "p1"), payment("09:00:03", "p3"), payment("09:00:02", "p2"),
                payment("09:00:00.500", "p0"));
        WindowCounter byOutcomes = new WindowCounter(List.of(pairs), Duration.ZERO);
        WindowCounter byChanges = new WindowCounter(List.of(pairs), Duration.ZERO);
        List<Outcome> batch = new ArrayList<>();
        for (Event event : events) {
            batch.addAll(byOutcomes.onEvent(event, Watermark.NONE));
            byChanges.count(event, Watermark.NONE);
        }

        CounterChanges changes = byChanges.takeChanges();

        assertThat(batch).as("the batch removes a row").anyMatch(Outcome.Removed.class::isInstance);
        assertThat(changes).isEqualTo(CounterChanges.of(batch));
        assertThat(changes.upserts()).extracting(row -> row.key().window().start())
                .doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(changes.deletes().stream().map(k -> k.window().start()).toList());
    }

    private static CounterKey key(Window window) {
        return new CounterKey(FAMILY, CounterKey.ALL_TYPES, SESSION, window);
    }

    private static Event login(String timeOfDay, String id) {
        return Events.login(FAMILY).at(timeOfDay + "Z").id(id).build();
    }

    private static Event payment(String timeOfDay, String id) {
        return Events.payment(FAMILY).at(timeOfDay + "Z").amount("1.00").id(id).build();
    }
}
