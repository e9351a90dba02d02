package dev.pulse.stream.window;

import static dev.pulse.stream.window.WindowCounterTest.rows;
import static dev.pulse.stream.window.WindowCounterTest.watermark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.stream.time.Watermark;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Session counters (SPEC §2, §7): maximal runs with gaps &lt; 30m, window [first, last + gap), event type
 * {@code *}, event count only; merges report the superseded row.
 */
class SessionWindowsTest {

    private static final String FAMILY = "family-1";
    private static final WindowSpec SESSION = WindowSpec.session(Duration.ofMinutes(30));

    private final WindowCounter counter = new WindowCounter(List.of(SESSION), Duration.ZERO);
    private final CounterProjection projection = new CounterProjection();

    @Test
    void shouldKeepSessionsSeparateWhenEventsAreExactlyOneGapApart() {
        apply(login("09:00:00", "l1"), Watermark.NONE);
        apply(login("09:30:00", "l2"), Watermark.NONE);

        assertThat(projection.rows().values()).extracting(r -> r.key().window(), r -> r.aggregate().eventCount()).containsExactly(
                tuple(WindowTest.window("2026-11-23T09:00:00Z", "2026-11-23T09:30:00Z"), 1L),
                tuple(WindowTest.window("2026-11-23T09:30:00Z", "2026-11-23T10:00:00Z"), 1L));
    }

    @Test
    void shouldExtendSessionWhenNextEventIsOneMillisecondLessThanGapAway() {
        apply(login("09:00:00", "l1"), Watermark.NONE);
        apply(login("09:29:59.999", "l2"), Watermark.NONE);

        assertThat(projection.rows().values()).extracting(r -> r.key().window(), r -> r.aggregate().eventCount()).containsExactly(
                tuple(WindowTest.window("2026-11-23T09:00:00Z", "2026-11-23T09:59:59.999Z"), 2L));
    }

    @Test
    void shouldMergeSessionsAndRemoveLaterRowWhenEventInBetweenClosesTheGap() {
        apply(login("09:00:00", "l1"), Watermark.NONE);
        apply(login("09:40:00", "l2"), Watermark.NONE);

        List<Outcome> outcomes = counter.onEvent(login("09:20:00", "l3"), Watermark.NONE);
        projection.apply(outcomes);

        assertThat(outcomes).containsExactly(
                new Outcome.Removed(new CounterKey(FAMILY, "*", SESSION, WindowTest.window("2026-11-23T09:40:00Z", "2026-11-23T10:10:00Z"))),
                new Outcome.Updated(new CounterRow(new CounterKey(FAMILY, "*", SESSION,
                        WindowTest.window("2026-11-23T09:00:00Z", "2026-11-23T10:10:00Z")), Aggregate.countOnly(3), false)));
        assertThat(projection.rows()).hasSize(1);
    }

    @Test
    void shouldMoveSessionStartBackWhenEventFallsLessThanGapBeforeFirst() {
        apply(login("09:40:00", "l1"), Watermark.NONE);

        List<Outcome> outcomes = counter.onEvent(login("09:15:00", "l2"), Watermark.NONE);
        projection.apply(outcomes);

        assertThat(outcomes).first().isEqualTo(
                new Outcome.Removed(new CounterKey(FAMILY, "*", SESSION, WindowTest.window("2026-11-23T09:40:00Z", "2026-11-23T10:10:00Z"))));
        assertThat(projection.rows().values()).extracting(r -> r.key().window(), r -> r.aggregate().eventCount()).containsExactly(
                tuple(WindowTest.window("2026-11-23T09:15:00Z", "2026-11-23T10:10:00Z"), 2L));
    }

    @Test
    void shouldCountAllTypesUnderStarWithoutValuesWhenFamilyHasPaymentsAndLogins() {
        apply(Events.payment(FAMILY).at("09:00:00Z").amount("450.10").id("p1").build(), Watermark.NONE);
        apply(login("09:10:00", "l1"), Watermark.NONE);

        assertThat(projection.rows().values()).singleElement().satisfies(row -> {
            assertThat(row.key().eventType()).isEqualTo("*");
            assertThat(row.key().size()).isEqualTo("30m");
            assertThat(row.aggregate()).isEqualTo(Aggregate.countOnly(2));
        });
    }

    @Test
    void shouldFinalizeSessionWhenWatermarkReachesLastEventPlusGap() {
        apply(login("09:00:00", "l1"), Watermark.NONE);
        apply(login("09:10:00", "l2"), Watermark.NONE);

        assertThat(counter.onWatermark(watermark("09:39:59.999"))).isEmpty();
        assertThat(rows(counter.onWatermark(watermark("09:40:00"))))
                .extracting(r -> r.key().window(), CounterRow::isFinal)
                .containsExactly(tuple(WindowTest.window("2026-11-23T09:00:00Z", "2026-11-23T09:40:00Z"), true));
    }

    @Test
    void shouldReportLateWhenEventWouldJoinClosedSession() {
        apply(login("09:00:00", "l1"), Watermark.NONE);
        counter.onWatermark(watermark("09:30:00"));
        Event late = login("09:10:00", "l2");

        List<Outcome> outcomes = counter.onEvent(late, watermark("09:30:00"));

        assertThat(outcomes).containsExactly(new Outcome.Late(late, SESSION,
                WindowTest.window("2026-11-23T09:00:00Z", "2026-11-23T09:30:00Z"), watermark("09:30:00")));
    }

    @Test
    void shouldReportLateAndLeaveOpenSessionWhenEventWouldBridgeClosedAndOpenSessions() {
        apply(login("09:00:00", "l1"), Watermark.NONE);
        apply(login("09:35:00", "l2"), Watermark.NONE);
        projection.apply(counter.onWatermark(watermark("09:30:00")));

        // 09:10 is < 30m after the closed 09:00 session and < 30m before the open 09:35 one
        List<Outcome> outcomes = counter.onEvent(login("09:10:00", "l3"), watermark("09:30:00"));
        projection.apply(outcomes);

        assertThat(outcomes).singleElement().isInstanceOf(Outcome.Late.class);
        assertThat(projection.rows().values()).extracting(r -> r.key().window(), r -> r.aggregate().eventCount()).containsExactly(
                tuple(WindowTest.window("2026-11-23T09:00:00Z", "2026-11-23T09:30:00Z"), 1L),
                tuple(WindowTest.window("2026-11-23T09:35:00Z", "2026-11-23T10:05:00Z"), 1L));
    }

    @Test
    void shouldReportLateWithOwnWindowWhenLoneEventsSessionIsAlreadyClosed() {
        Event late = login("09:00:00", "l1");

        List<Outcome> outcomes = counter.onEvent(late, watermark("09:30:00"));

        assertThat(outcomes).containsExactly(new Outcome.Late(late, SESSION,
                WindowTest.window("2026-11-23T09:00:00Z", "2026-11-23T09:30:00Z"), watermark("09:30:00")));
    }

    @Test
    void shouldCountEventBehindWatermarkWhenItFallsInsideOpenSession() {
        apply(login("09:00:00", "l1"), Watermark.NONE);
        apply(login("09:40:00", "l2"), Watermark.NONE);  // separate: 40m apart
        apply(login("09:29:00", "l3"), Watermark.NONE);  // joins both: one session [09:00, 10:10)

        List<Outcome> outcomes = counter.onEvent(login("09:20:00", "l4"), watermark("09:45:00"));
        projection.apply(outcomes);

        assertThat(projection.rows().values()).extracting(r -> r.key().window(), r -> r.aggregate().eventCount()).containsExactly(
                tuple(WindowTest.window("2026-11-23T09:00:00Z", "2026-11-23T10:10:00Z"), 4L));
    }

    @Test
    void shouldStartNewSessionWhenEventAfterClosedSessionIsAGapAwayFromIt() {
        apply(login("09:00:00", "l1"), Watermark.NONE);
        projection.apply(counter.onWatermark(watermark("09:30:00")));

        apply(login("09:30:00", "l2"), watermark("09:30:00"));

        assertThat(projection.rows().values()).extracting(r -> r.key().window(), CounterRow::isFinal).containsExactly(
                tuple(WindowTest.window("2026-11-23T09:00:00Z", "2026-11-23T09:30:00Z"), true),
                tuple(WindowTest.window("2026-11-23T09:30:00Z", "2026-11-23T10:00:00Z"), false));
    }

    private void apply(Event event, Watermark watermark) {
        projection.apply(counter.onEvent(event, watermark));
    }

    private static Event login(String timeOfDay, String id) {
        return Events.login(FAMILY).at(timeOfDay + "Z").id(id).build();
    }
}
