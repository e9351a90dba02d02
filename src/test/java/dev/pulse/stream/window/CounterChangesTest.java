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

/** A micro-batch's outcomes folded into disjoint upserts and deletes: the last outcome per stored row wins. */
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

    private static CounterKey key(Window window) {
        return new CounterKey(FAMILY, CounterKey.ALL_TYPES, SESSION, window);
    }

    private static Event login(String timeOfDay, String id) {
        return Events.login(FAMILY).at(timeOfDay + "Z").id(id).build();
    }
}
