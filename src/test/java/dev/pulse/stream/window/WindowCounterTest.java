package dev.pulse.stream.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.stream.time.Watermark;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tumbling and sliding counters, finality and lateness (SPEC §2, §3.2, §7). */
class WindowCounterTest {

    private static final String FAMILY = "family-1";
    private static final WindowSpec MINUTE = WindowSpec.tumbling(Duration.ofMinutes(1));
    private static final WindowSpec HOUR = WindowSpec.tumbling(Duration.ofHours(1));

    // ---------------------------------------------------------------- boundaries and aggregates

    @Test
    void shouldCountEventInNextWindowWhenItIsExactlyAtWindowBoundary() {
        WindowCounter counter = new WindowCounter(List.of(MINUTE), Duration.ZERO);

        List<Outcome> outcomes = counter.onEvent(Events.login(FAMILY).at("09:11:00Z").build(), Watermark.NONE);

        assertThat(rows(outcomes)).extracting(r -> r.key().window())
                .containsExactly(WindowTest.window("2026-11-23T09:11:00Z", "2026-11-23T09:12:00Z"));
    }

    @Test
    void shouldCountEventInPreviousWindowWhenItIsOneMillisecondBeforeBoundary() {
        WindowCounter counter = new WindowCounter(List.of(MINUTE), Duration.ZERO);

        List<Outcome> outcomes = counter.onEvent(Events.login(FAMILY).at("09:10:59.999Z").build(), Watermark.NONE);

        assertThat(rows(outcomes)).extracting(r -> r.key().window())
                .containsExactly(WindowTest.window("2026-11-23T09:10:00Z", "2026-11-23T09:11:00Z"));
    }

    @Test
    void shouldAggregateAmountsPerEventTypeWhenPaymentsAndLoginsShareWindow() {
        CounterProjection projection = new CounterProjection();
        WindowCounter counter = new WindowCounter(List.of(MINUTE), Duration.ZERO);

        projection.apply(counter.onEvent(Events.payment(FAMILY).at("09:10:00Z").amount("450.10").id("p1").build(), Watermark.NONE));
        projection.apply(counter.onEvent(Events.login(FAMILY).at("09:10:20Z").id("l1").build(), Watermark.NONE));
        projection.apply(counter.onEvent(Events.payment(FAMILY).at("09:10:59.999Z").amount("49.90").id("p2").build(), Watermark.NONE));

        Instant start = Instant.parse("2026-11-23T09:10:00Z");
        CounterRow payments = projection.row(FAMILY, "PaymentReceived", MINUTE, start);
        assertThat(payments.aggregate()).isEqualTo(new Aggregate(2, new BigDecimal("500.00"), new BigDecimal("49.90"), new BigDecimal("450.10")));
        assertThat(payments.aggregate().avg()).isEqualTo(new BigDecimal("250.0000"));
        assertThat(payments.isFinal()).isFalse();
        assertThat(projection.row(FAMILY, "UserLogin", MINUTE, start).aggregate()).isEqualTo(Aggregate.countOnly(1));
    }

    @Test
    void shouldAggregateNewScoresWhenEventsAreScoreUpdates() {
        CounterProjection projection = new CounterProjection();
        WindowCounter counter = new WindowCounter(List.of(HOUR), Duration.ZERO);

        projection.apply(counter.onEvent(Events.score(FAMILY).at("09:10:00Z").score(80).id("s1").build(), Watermark.NONE));
        projection.apply(counter.onEvent(Events.score(FAMILY).at("09:50:00Z").score(35).id("s2").build(), Watermark.NONE));

        Aggregate aggregate = projection.row(FAMILY, "EngagementScoreUpdated", HOUR, Instant.parse("2026-11-23T09:00:00Z")).aggregate();
        assertThat(aggregate).isEqualTo(new Aggregate(2, BigDecimal.valueOf(115), BigDecimal.valueOf(35), BigDecimal.valueOf(80)));
        assertThat(aggregate.avg()).isEqualTo(new BigDecimal("57.5000"));
    }

    @Test
    void shouldUpdateTwelveSlidingWindowsWhenSizeIsOneHourAndSlideFiveMinutes() {
        WindowSpec sliding = WindowSpec.sliding(Duration.ofHours(1), Duration.ofMinutes(5));
        WindowCounter counter = new WindowCounter(List.of(sliding), Duration.ZERO);

        List<CounterRow> rows = rows(counter.onEvent(Events.login(FAMILY).at("09:10:00Z").build(), Watermark.NONE));

        assertThat(rows).hasSize(12).allSatisfy(row -> {
            assertThat(row.key().windowType()).isEqualTo("sliding");
            assertThat(row.key().size()).isEqualTo("1h/5m");
            assertThat(row.aggregate()).isEqualTo(Aggregate.countOnly(1));
        });
        assertThat(rows.get(0).key().window().start()).isEqualTo(Instant.parse("2026-11-23T08:15:00Z"));
    }

    // ---------------------------------------------------------------- finality

    @Test
    void shouldEmitFinalRowOnceWhenWatermarkReachesWindowEnd() {
        WindowCounter counter = new WindowCounter(List.of(MINUTE), Duration.ZERO);
        counter.onEvent(Events.login(FAMILY).at("09:10:30Z").build(), Watermark.NONE);

        assertThat(counter.onWatermark(watermark("09:10:59.999"))).isEmpty();
        assertThat(rows(counter.onWatermark(watermark("09:11:00"))))
                .extracting(r -> r.key().window().start(), CounterRow::isFinal, r -> r.aggregate().eventCount())
                .containsExactly(tuple(Instant.parse("2026-11-23T09:10:00Z"), true, 1L));
        assertThat(counter.onWatermark(watermark("09:20:00"))).isEmpty();
    }

    @Test
    void shouldFinalizeRowsBeforeCountingEventWhenEventCarriesAdvancedWatermark() {
        WindowCounter counter = new WindowCounter(List.of(MINUTE), Duration.ZERO);
        counter.onEvent(Events.login(FAMILY).at("09:10:30Z").id("l1").build(), Watermark.NONE);

        List<Outcome> outcomes = counter.onEvent(Events.login(FAMILY).at("09:11:30Z").id("l2").build(), watermark("09:11:25"));

        assertThat(rows(outcomes)).extracting(r -> r.key().window().start(), CounterRow::isFinal).containsExactly(
                tuple(Instant.parse("2026-11-23T09:10:00Z"), true),
                tuple(Instant.parse("2026-11-23T09:11:00Z"), false));
    }

    // ---------------------------------------------------------------- lateness

    @Test
    void shouldReportLateAndLeaveWindowWhenWatermarkIsExactlyAtWindowEnd() {
        WindowCounter counter = new WindowCounter(List.of(MINUTE), Duration.ZERO);
        counter.onEvent(Events.login(FAMILY).at("09:10:10Z").id("l1").build(), Watermark.NONE);
        counter.onWatermark(watermark("09:11:00"));
        Event late = Events.login(FAMILY).at("09:10:30Z").id("l2").build();

        List<Outcome> outcomes = counter.onEvent(late, watermark("09:11:00"));

        assertThat(outcomes).containsExactly(new Outcome.Late(late, MINUTE,
                WindowTest.window("2026-11-23T09:10:00Z", "2026-11-23T09:11:00Z"), watermark("09:11:00")));
    }

    @Test
    void shouldCountEventOnTimeWhenWatermarkIsOneMillisecondBeforeWindowEnd() {
        WindowCounter counter = new WindowCounter(List.of(MINUTE), Duration.ZERO);

        List<Outcome> outcomes = counter.onEvent(Events.login(FAMILY).at("09:10:30Z").build(), watermark("09:10:59.999"));

        assertThat(rows(outcomes)).extracting(CounterRow::isFinal, r -> r.aggregate().eventCount()).containsExactly(tuple(false, 1L));
    }

    @Test
    void shouldReportLateOnceForMissedMinuteAndStillCountInOpenHourWhenOnlyMinuteWindowClosed() {
        CounterProjection projection = new CounterProjection();
        WindowCounter counter = WindowCounter.withDefaultWindows(Duration.ZERO);
        projection.apply(counter.onEvent(Events.login(FAMILY).at("09:10:10Z").id("l1").build(), Watermark.NONE));
        projection.apply(counter.onWatermark(watermark("09:11:00")));
        Event late = Events.login(FAMILY).at("09:10:30Z").id("l2").build();

        List<Outcome> outcomes = counter.onEvent(late, watermark("09:11:00"));
        projection.apply(outcomes);

        assertThat(outcomes).filteredOn(Outcome.Late.class::isInstance).containsExactly(new Outcome.Late(late, MINUTE,
                WindowTest.window("2026-11-23T09:10:00Z", "2026-11-23T09:11:00Z"), watermark("09:11:00")));
        assertThat(projection.row(FAMILY, "UserLogin", MINUTE, Instant.parse("2026-11-23T09:10:00Z")).aggregate().eventCount())
                .as("the closed minute is unchanged").isEqualTo(1);
        assertThat(projection.row(FAMILY, "UserLogin", HOUR, Instant.parse("2026-11-23T09:00:00Z")).aggregate().eventCount())
                .as("the open hour counts it").isEqualTo(2);
        assertThat(projection.row(FAMILY, "*", WindowSpec.session(Duration.ofMinutes(30)), Instant.parse("2026-11-23T09:10:10Z")))
                .as("the open session counts it").extracting(r -> r.aggregate().eventCount(), r -> r.key().window().end())
                .containsExactly(2L, Instant.parse("2026-11-23T09:40:30Z"));
    }

    @Test
    void shouldReportLateOnlyForClosedSlidingWindowsWhenEventFallsInOpenOnesToo() {
        WindowSpec sliding = WindowSpec.sliding(Duration.ofMinutes(10), Duration.ofMinutes(5));
        WindowCounter counter = new WindowCounter(List.of(sliding), Duration.ZERO);
        Event event = Events.login(FAMILY).at("09:12:00Z").build();

        List<Outcome> outcomes = counter.onEvent(event, watermark("09:15:00"));

        assertThat(outcomes).hasSize(2);
        assertThat(outcomes.get(0)).isEqualTo(new Outcome.Late(event, sliding,
                WindowTest.window("2026-11-23T09:05:00Z", "2026-11-23T09:15:00Z"), watermark("09:15:00")));
        assertThat(rows(outcomes)).extracting(r -> r.key().window())
                .containsExactly(WindowTest.window("2026-11-23T09:10:00Z", "2026-11-23T09:20:00Z"));
    }

    @Test
    void shouldUpdateAndReEmitFinalRowWhenLateEventIsWithinAllowedLateness() {
        WindowCounter counter = new WindowCounter(List.of(MINUTE), Duration.ofMinutes(1));
        counter.onEvent(Events.login(FAMILY).at("09:10:10Z").id("l1").build(), Watermark.NONE);
        assertThat(rows(counter.onWatermark(watermark("09:11:00")))).extracting(CounterRow::isFinal).containsExactly(true);

        List<Outcome> within = counter.onEvent(Events.login(FAMILY).at("09:10:30Z").id("l2").build(), watermark("09:11:59.999"));

        assertThat(rows(within)).extracting(CounterRow::isFinal, r -> r.aggregate().eventCount()).containsExactly(tuple(true, 2L));
    }

    @Test
    void shouldReportLateWhenWatermarkReachesWindowEndPlusAllowedLateness() {
        WindowCounter counter = new WindowCounter(List.of(MINUTE), Duration.ofMinutes(1));
        counter.onEvent(Events.login(FAMILY).at("09:10:10Z").id("l1").build(), Watermark.NONE);
        assertThat(counter.onWatermark(watermark("09:11:00"))).hasSize(1);
        assertThat(counter.onWatermark(watermark("09:12:00"))).as("forgotten without another row").isEmpty();

        List<Outcome> outcomes = counter.onEvent(Events.login(FAMILY).at("09:10:30Z").id("l2").build(), watermark("09:12:00"));

        assertThat(outcomes).singleElement().isInstanceOf(Outcome.Late.class);
    }

    @Test
    void shouldIgnoreOlderWatermarkWhenItWouldMoveCounterBackwards() {
        WindowCounter counter = new WindowCounter(List.of(MINUTE), Duration.ZERO);
        counter.onWatermark(watermark("09:11:00"));

        List<Outcome> outcomes = counter.onEvent(Events.login(FAMILY).at("09:10:30Z").build(), watermark("09:00:00"));

        assertThat(counter.watermark()).isEqualTo(watermark("09:11:00"));
        assertThat(outcomes).singleElement().isInstanceOf(Outcome.Late.class);
    }

    @Test
    void shouldKeepFamiliesApartWhenTheyShareWindow() {
        CounterProjection projection = new CounterProjection();
        WindowCounter counter = new WindowCounter(List.of(MINUTE), Duration.ZERO);

        projection.apply(counter.onEvent(Events.login("family-1").at("09:10:10Z").build(), Watermark.NONE));
        projection.apply(counter.onEvent(Events.login("family-2").at("09:10:20Z").build(), Watermark.NONE));
        projection.apply(counter.onWatermark(watermark("09:11:00")));

        assertThat(projection.rows().values()).extracting(r -> r.key().familyId(), CounterRow::isFinal, r -> r.aggregate().eventCount())
                .containsExactly(tuple("family-1", true, 1L), tuple("family-2", true, 1L));
    }

    @Test
    void shouldRejectCounterWhenSpecIsListedTwiceOrLatenessIsNegative() {
        assertThatThrownBy(() -> new WindowCounter(List.of(MINUTE, WindowSpec.parse("tumbling:60s")), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window spec tumbling:1m is listed twice");
        assertThatThrownBy(() -> new WindowCounter(List.of(MINUTE), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowedLateness must be >= 0");
    }

    static List<CounterRow> rows(List<Outcome> outcomes) {
        return outcomes.stream().filter(Outcome.Updated.class::isInstance).map(o -> ((Outcome.Updated) o).row()).toList();
    }

    static Watermark watermark(String timeOfDay) {
        return new Watermark(Instant.parse(Events.DEFAULT_DAY + "T" + timeOfDay + "Z"));
    }
}
