package dev.pulse.stream.window;

import static dev.pulse.stream.window.WindowCounterTest.rows;
import static dev.pulse.stream.window.WindowCounterTest.watermark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.stream.time.Watermark;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checkpointing a family's window state (SPEC §4): snapshot, restore, and the dirty set. */
class WindowSnapshotTest {

    private static final String FAMILY = "family-1";
    private static final List<WindowSpec> SPECS = List.of(
            WindowSpec.tumbling(Duration.ofMinutes(1)), WindowSpec.session(Duration.ofMinutes(30)), WindowSpec.count(2, 2));

    @Test
    void shouldContinueLikeOriginalWhenRestoredFromSnapshot() {
        WindowCounter original = new WindowCounter(SPECS, Duration.ZERO);
        original.onEvent(payment("09:00:00", "1.00", "p1"), Watermark.NONE);
        original.onEvent(payment("09:10:30", "2.00", "p2"), watermark("09:05:00"));
        original.onEvent(payment("09:10:40", "4.00", "p3"), watermark("09:05:00"));
        WindowCounter restored = new WindowCounter(SPECS, Duration.ZERO);
        restored.onWatermark(original.watermark());
        restored.restore(original.snapshot(FAMILY).orElseThrow());

        Event next = payment("09:10:50", "8.00", "p4");

        assertThat(restored.snapshot(FAMILY)).isEqualTo(original.snapshot(FAMILY));
        assertThat(restored.onEvent(next, watermark("09:10:45"))).isEqualTo(original.onEvent(next, watermark("09:10:45")));
        assertThat(restored.onWatermark(watermark("12:00:00"))).isEqualTo(original.onWatermark(watermark("12:00:00")));
    }

    @Test
    void shouldFinalizeRestoredRowsWhenSnapshotIsOlderThanWatermark() {
        WindowCounter original = new WindowCounter(SPECS, Duration.ZERO);
        original.onEvent(payment("09:10:30", "2.00", "p1"), Watermark.NONE);
        WindowSnapshot stale = original.snapshot(FAMILY).orElseThrow();
        WindowCounter restored = new WindowCounter(SPECS, Duration.ZERO);
        restored.onWatermark(watermark("09:11:00"));

        List<Outcome> outcomes = restored.restore(stale);

        assertThat(rows(outcomes)).extracting(r -> r.key().windowType(), CounterRow::isFinal)
                .containsExactly(tuple("tumbling", true));
    }

    @Test
    void shouldHaveNoSnapshotWhenFamilyHasNoState() {
        WindowCounter counter = new WindowCounter(List.of(WindowSpec.tumbling(Duration.ofMinutes(1))), Duration.ZERO);
        counter.onEvent(payment("09:10:30", "2.00", "p1"), Watermark.NONE);
        counter.onWatermark(watermark("09:11:00"));

        assertThat(counter.snapshot(FAMILY)).as("the only window was forgotten").isEmpty();
        assertThat(counter.snapshot("family-unknown")).isEmpty();
    }

    @Test
    void shouldNameEachChangedFamilyOnceWhenChangesAreTaken() {
        WindowCounter counter = new WindowCounter(SPECS, Duration.ZERO);
        counter.onEvent(Events.login("family-2").at("09:00:00Z").build(), Watermark.NONE);
        counter.onEvent(Events.login("family-1").at("09:00:00Z").build(), Watermark.NONE);
        counter.onEvent(Events.login("family-2").at("09:00:01Z").build(), Watermark.NONE);

        assertThat(counter.takeChangedFamilies()).containsExactly("family-1", "family-2");
        assertThat(counter.takeChangedFamilies()).isEmpty();
        counter.onWatermark(watermark("09:01:00"));
        assertThat(counter.takeChangedFamilies()).as("windows made final by the watermark alone leave snapshots valid").isEmpty();
    }

    @Test
    void shouldAnswerOnlyRestoredFamiliesTheCallerDoesNotListWhenChangesAreTakenBesideIt() {
        WindowCounter source = new WindowCounter(SPECS, Duration.ZERO);
        source.onEvent(Events.login("family-3").at("09:00:00Z").build(), Watermark.NONE);
        source.onEvent(Events.login("family-2").at("09:00:00Z").build(), Watermark.NONE);
        WindowCounter counter = new WindowCounter(SPECS, Duration.ZERO);
        counter.restore(source.snapshot("family-3").orElseThrow());
        counter.restore(source.snapshot("family-2").orElseThrow());
        counter.onEvent(Events.login("family-1").at("09:00:01Z").build(), Watermark.NONE);

        assertThat(counter.takeChangedFamiliesBeside(id -> id.equals("family-1")))
                .as("the restored families, in id order").containsExactly("family-2", "family-3");
        assertThat(counter.takeChangedFamiliesBeside(id -> false)).as("taken").isEmpty();

        counter.onEvent(Events.login("family-1").at("09:00:02Z").build(), Watermark.NONE);
        assertThatThrownBy(() -> counter.takeChangedFamiliesBeside(id -> false))
                .as("a counted family the caller does not list (assertions on)").isInstanceOf(AssertionError.class);
    }

    @Test
    void shouldRestoreSnapshotTakenBeforeWatermarkToStateOfCounterThatSawIt() {
        WindowCounter counter = new WindowCounter(SPECS, Duration.ofSeconds(30));
        counter.onEvent(payment("09:00:10", "2.00", "p1"), Watermark.NONE);
        counter.onEvent(payment("09:00:50", "3.00", "p2"), Watermark.NONE);
        WindowSnapshot before = counter.snapshot(FAMILY).orElseThrow();

        // Past the minute's end (final) and past its lateness (forgotten), not past the hour or the session.
        List<Outcome> closed = counter.onWatermark(watermark("09:02:00"));
        assertThat(closed).as("the minute row became final").isNotEmpty();
        WindowCounter restored = new WindowCounter(SPECS, Duration.ofSeconds(30));
        restored.onWatermark(watermark("09:02:00"));
        restored.restore(before);

        assertThat(restored.snapshot(FAMILY)).as("the stale snapshot, restored under the later watermark")
                .isEqualTo(counter.snapshot(FAMILY));
        Event late = payment("09:00:40", "4.00", "p3");
        assertThat(restored.onEvent(late, watermark("09:02:00"))).as("a late event meets the same closed windows")
                .isEqualTo(counter.onEvent(late, watermark("09:02:00")));
    }

    @Test
    void shouldNameFamilyAsChangedWhenEventFillsIncompleteCountWindowWithoutOutcome() {
        WindowCounter counter = new WindowCounter(List.of(WindowSpec.count(2, 2)), Duration.ZERO);

        assertThat(counter.onEvent(payment("09:00:00", "1.00", "p1"), Watermark.NONE)).isEmpty();
        assertThat(counter.takeChangedFamilies()).containsExactly(FAMILY);
    }

    @Test
    void shouldRejectRestoreWhenFamilyIsAlreadyCounted() {
        WindowCounter counter = new WindowCounter(SPECS, Duration.ZERO);
        counter.onEvent(payment("09:00:00", "1.00", "p1"), Watermark.NONE);
        WindowSnapshot snapshot = counter.snapshot(FAMILY).orElseThrow();

        assertThatThrownBy(() -> counter.restore(snapshot))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("family family-1 is already counted");
    }

    private static Event payment(String timeOfDay, String amount, String id) {
        return Events.payment(FAMILY).at(timeOfDay + "Z").amount(amount).id(id).build();
    }
}
