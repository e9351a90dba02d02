package dev.pulse.stream.window;

import static dev.pulse.stream.window.WindowCounterTest.rows;
import static dev.pulse.stream.window.WindowCounterTest.watermark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.stream.time.StreamTime;
import dev.pulse.stream.time.Watermark;
import dev.pulse.stream.time.WatermarkTracker;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Count windows (SPEC §3.5): per (family, event type), runs of N events in (event time, event id) order;
 * window [time of first, time of N-th + 1 ms), final when the watermark passes the N-th event's time.
 */
class CountWindowsTest {

    private static final String FAMILY = "family-1";
    private static final String PAYMENT = "PaymentReceived";

    private final CounterProjection projection = new CounterProjection();

    @Test
    void shouldEmitWindowOnlyWhenItHoldsNEvents() {
        WindowSpec spec = WindowSpec.count(3, 3);
        WindowCounter counter = new WindowCounter(List.of(spec), Duration.ZERO);

        assertThat(counter.onEvent(payment("09:00:01", "10.00", "p1"), Watermark.NONE)).isEmpty();
        assertThat(counter.onEvent(payment("09:00:02", "20.00", "p2"), Watermark.NONE)).isEmpty();
        List<Outcome> third = counter.onEvent(payment("09:00:03", "30.00", "p3"), Watermark.NONE);

        assertThat(third).containsExactly(new Outcome.Updated(new CounterRow(
                new CounterKey(FAMILY, PAYMENT, spec, WindowTest.window("2026-11-23T09:00:01Z", "2026-11-23T09:00:03.001Z")),
                new Aggregate(3, new BigDecimal("60.00"), new BigDecimal("10.00"), new BigDecimal("30.00")), false)));
        assertThat(third).extracting(o -> ((Outcome.Updated) o).row().key().size()).containsExactly("3/3");
    }

    @Test
    void shouldEmitWindowPerEventWhenSlideIsOne() {
        WindowCounter counter = new WindowCounter(List.of(WindowSpec.count(3, 1)), Duration.ZERO);
        for (int second = 1; second <= 4; second++) {
            projection.apply(counter.onEvent(payment("09:00:0" + second, second + ".00", "p" + second), Watermark.NONE));
        }

        assertThat(projection.rows().values()).extracting(r -> r.key().window().start(), r -> r.aggregate().sum()).containsExactly(
                tuple(time("09:00:01"), new BigDecimal("6.00")),
                tuple(time("09:00:02"), new BigDecimal("9.00")));
    }

    @Test
    void shouldPlaceOutOfOrderEventByEventTimeWhenItArrivesWithinBound() {
        List<Event> inOrder = List.of(
                payment("09:00:01", "1.00", "x"), payment("09:00:02", "2.00", "a"),
                payment("09:00:03", "3.00", "b"), payment("09:00:04", "4.00", "c"));
        List<Event> arrival = List.of(inOrder.get(1), inOrder.get(2), inOrder.get(0), inOrder.get(3)); // x 2 s behind

        CounterProjection expected = run(inOrder);
        CounterProjection actual = run(arrival);

        assertThat(actual.rows()).isEqualTo(expected.rows());
        assertThat(actual.rows().values()).extracting(r -> r.key().window(), r -> r.aggregate().sum(), CounterRow::isFinal).containsExactly(
                tuple(WindowTest.window("2026-11-23T09:00:01Z", "2026-11-23T09:00:02.001Z"), new BigDecimal("3.00"), true),
                tuple(WindowTest.window("2026-11-23T09:00:03Z", "2026-11-23T09:00:04.001Z"), new BigDecimal("7.00"), true));
        assertThat(actual.removals()).as("the early window {a, b} was shifted away by x").isEqualTo(1);
        assertThat(actual.lates()).isEmpty();
    }

    @Test
    void shouldFinalizeWindowWhenWatermarkPassesTimeOfNthEvent() {
        WindowCounter counter = new WindowCounter(List.of(WindowSpec.count(2, 2)), Duration.ZERO);
        counter.onEvent(payment("09:00:01", "1.00", "p1"), Watermark.NONE);
        counter.onEvent(payment("09:00:02", "2.00", "p2"), Watermark.NONE);

        assertThat(counter.onWatermark(watermark("09:00:02"))).as("W equal to the N-th event's time").isEmpty();
        assertThat(rows(counter.onWatermark(watermark("09:00:02.001")))).extracting(CounterRow::isFinal).containsExactly(true);
    }

    @Test
    void shouldReportLateWhenEventSortsBeforeLastEventOfClosedWindow() {
        WindowCounter counter = new WindowCounter(List.of(WindowSpec.count(2, 2)), Duration.ZERO);
        counter.onEvent(payment("09:00:01", "1.00", "p1"), Watermark.NONE);
        counter.onEvent(payment("09:00:03", "3.00", "p3"), Watermark.NONE);
        counter.onWatermark(watermark("09:00:04"));
        Event late = payment("09:00:02", "2.00", "p2");

        List<Outcome> outcomes = counter.onEvent(late, watermark("09:00:04"));

        assertThat(outcomes).containsExactly(new Outcome.Late(late, WindowSpec.count(2, 2),
                WindowTest.window("2026-11-23T09:00:01Z", "2026-11-23T09:00:03.001Z"), watermark("09:00:04")));
    }

    @Test
    void shouldCountEventBehindWatermarkWhenItSortsAfterEveryClosedWindow() {
        WindowCounter counter = new WindowCounter(List.of(WindowSpec.count(2, 2)), Duration.ZERO);
        counter.onEvent(payment("09:00:01", "1.00", "p1"), Watermark.NONE);
        counter.onEvent(payment("09:00:03", "3.00", "p3"), Watermark.NONE);
        counter.onWatermark(watermark("09:00:04"));

        assertThat(counter.onEvent(payment("09:00:03.500", "3.50", "p4"), watermark("09:00:04"))).isEmpty();
        List<Outcome> outcomes = counter.onEvent(payment("09:00:05", "5.00", "p5"), watermark("09:00:04"));

        assertThat(rows(outcomes)).extracting(r -> r.key().window(), r -> r.aggregate().sum()).containsExactly(
                tuple(WindowTest.window("2026-11-23T09:00:03.500Z", "2026-11-23T09:00:05.001Z"), new BigDecimal("8.50")));
    }

    @Test
    void shouldOrderEventsOfOneInstantByEventIdWhenTheyShareTimestamp() {
        WindowCounter counter = new WindowCounter(List.of(WindowSpec.count(2, 2)), Duration.ZERO);
        projection.apply(counter.onEvent(payment("09:00:01", "2.00", "b"), Watermark.NONE));
        projection.apply(counter.onEvent(payment("09:00:01", "4.00", "c"), Watermark.NONE));
        List<Outcome> outcomes = counter.onEvent(payment("09:00:01", "1.00", "a"), Watermark.NONE);
        projection.apply(outcomes);

        assertThat(outcomes).as("same window start: upserted, not removed").noneMatch(Outcome.Removed.class::isInstance);
        assertThat(projection.rows().values()).extracting(r -> r.aggregate().sum()).containsExactly(new BigDecimal("3.00"));
    }

    @Test
    void shouldKeepEventTypesApartWhenTheyInterleave() {
        WindowCounter counter = new WindowCounter(List.of(WindowSpec.count(2, 2)), Duration.ZERO);
        projection.apply(counter.onEvent(payment("09:00:01", "1.00", "p1"), Watermark.NONE));
        projection.apply(counter.onEvent(Events.login(FAMILY).at("09:00:02Z").id("l1").build(), Watermark.NONE));
        projection.apply(counter.onEvent(payment("09:00:03", "3.00", "p2"), Watermark.NONE));

        assertThat(projection.rows().values()).extracting(r -> r.key().eventType(), r -> r.aggregate().eventCount())
                .containsExactly(tuple(PAYMENT, 2L));
    }

    /** Arrival order through a 5 s watermark tracker, then a watermark past everything. */
    private static CounterProjection run(List<Event> arrival) {
        WatermarkTracker tracker = new WatermarkTracker(Duration.ofSeconds(5), Duration.ZERO, () -> Instant.EPOCH);
        WindowCounter counter = new WindowCounter(List.of(WindowSpec.count(2, 2)), Duration.ZERO);
        CounterProjection projection = new CounterProjection();
        for (Event event : arrival) {
            projection.apply(counter.onEvent(event, tracker.onEvent(event.eventTimestamp())));
        }
        projection.apply(counter.onWatermark(Watermark.of(new StreamTime(time("23:00:00")), Duration.ZERO)));
        return projection;
    }

    private static Event payment(String timeOfDay, String amount, String id) {
        return Events.payment(FAMILY).at(timeOfDay + "Z").amount(amount).id(id).build();
    }

    private static Instant time(String timeOfDay) {
        return Instant.parse(Events.DEFAULT_DAY + "T" + timeOfDay + "Z");
    }
}
