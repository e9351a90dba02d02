package dev.pulse.stream.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SPEC §2: watermark = stream time − max out-of-orderness, monotonic; idle advance to wall clock − bound. */
class WatermarkTrackerTest {

    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final Duration IDLE = Duration.ofSeconds(30);
    private static final Instant WALL_START = Instant.parse("2026-11-23T12:00:00Z");

    private Instant wall = WALL_START;
    private final InstantSource clock = () -> wall;

    @Test
    void shouldBeNoneWhenNoEventArrived() {
        WatermarkTracker tracker = new WatermarkTracker(BOUND, Duration.ZERO, clock);

        assertThat(tracker.streamTime()).isEqualTo(StreamTime.NONE);
        assertThat(tracker.watermark()).isEqualTo(Watermark.NONE);
    }

    @Test
    void shouldTrailLargestEventTimeByBoundWhenEventsArriveOutOfOrder() {
        WatermarkTracker tracker = new WatermarkTracker(BOUND, Duration.ZERO, clock);

        tracker.onEvent(time("09:10:00"));
        Watermark afterOlder = tracker.onEvent(time("09:09:58"));

        assertThat(tracker.streamTime()).isEqualTo(new StreamTime(time("09:10:00")));
        assertThat(afterOlder).isEqualTo(watermark("09:09:55"));
    }

    @Test
    void shouldAdvanceWatermarkToWallClockMinusBoundWhenPartitionIsIdleForIdleAdvance() {
        WatermarkTracker tracker = new WatermarkTracker(BOUND, IDLE, clock);
        tracker.onEvent(time("09:10:00"));

        Optional<Watermark> advanced = tracker.onIdleCheck(WALL_START.plus(IDLE));

        assertThat(advanced).contains(new Watermark(WALL_START.plus(IDLE).minus(BOUND)));
        assertThat(tracker.watermark()).isEqualTo(advanced.orElseThrow());
        assertThat(tracker.streamTime()).as("idle advance moves only the watermark").isEqualTo(new StreamTime(time("09:10:00")));
    }

    @Test
    void shouldNotAdvanceWatermarkWhenIdleForOneMillisecondLessThanIdleAdvance() {
        WatermarkTracker tracker = new WatermarkTracker(BOUND, IDLE, clock);
        tracker.onEvent(time("09:10:00"));

        assertThat(tracker.onIdleCheck(WALL_START.plus(IDLE).minusMillis(1))).isEmpty();
        assertThat(tracker.watermark()).isEqualTo(watermark("09:09:55"));
    }

    @Test
    void shouldNeverAdvanceOnIdleWhenIdleAdvanceIsZero() {
        WatermarkTracker tracker = new WatermarkTracker(BOUND, Duration.ZERO, clock);
        tracker.onEvent(time("09:10:00"));

        assertThat(tracker.isIdleAdvanceEnabled()).isFalse();
        assertThat(tracker.onIdleCheck(WALL_START.plus(Duration.ofDays(365)))).isEmpty();
        assertThat(tracker.watermark()).isEqualTo(watermark("09:09:55"));
    }

    @Test
    void shouldRestartIdleTimerWhenEventArrives() {
        WatermarkTracker tracker = new WatermarkTracker(BOUND, IDLE, clock);
        wall = WALL_START.plusSeconds(20);
        tracker.onEvent(time("09:10:00"));

        assertThat(tracker.lastArrival()).isEqualTo(WALL_START.plusSeconds(20));
        assertThat(tracker.onIdleCheck(WALL_START.plusSeconds(49))).as("29 s after the last arrival").isEmpty();
        assertThat(tracker.onIdleCheck(WALL_START.plusSeconds(50))).isPresent();
    }

    @Test
    void shouldRestartIdleTimerWhenBatchArrivedNotWhenItsEventsAdvance() {
        WatermarkTracker tracker = new WatermarkTracker(BOUND, IDLE, clock);
        wall = WALL_START.plusSeconds(20);
        Watermark afterBatch = tracker.advance(time("09:10:00"));
        tracker.advance(time("09:10:01"));

        assertThat(afterBatch).isEqualTo(watermark("09:09:55"));
        assertThat(tracker.watermark()).isEqualTo(watermark("09:09:56"));
        assertThat(tracker.lastArrival()).as("advance leaves the arrival to arrived()").isEqualTo(WALL_START);

        tracker.arrived();

        assertThat(tracker.lastArrival()).isEqualTo(WALL_START.plusSeconds(20));
        assertThat(tracker.onIdleCheck(WALL_START.plusSeconds(49))).as("29 s after the batch").isEmpty();
        assertThat(tracker.onIdleCheck(WALL_START.plusSeconds(50))).contains(new Watermark(WALL_START.plusSeconds(45)));
    }

    @Test
    void shouldAdvanceIdlePartitionWhenNoEventEverArrived() {
        WatermarkTracker tracker = new WatermarkTracker(BOUND, IDLE, clock);

        wall = WALL_START.plus(IDLE);

        assertThat(tracker.onIdleCheck()).contains(new Watermark(wall.minus(BOUND)));
    }

    @Test
    void shouldKeepWatermarkWhenWallClockIsBehindEventTime() {
        WatermarkTracker tracker = new WatermarkTracker(BOUND, IDLE, clock);
        tracker.onEvent(Instant.parse("2027-01-01T00:00:00Z")); // events from the future of this wall clock

        assertThat(tracker.onIdleCheck(WALL_START.plus(Duration.ofHours(1)))).isEmpty();
        assertThat(tracker.watermark()).isEqualTo(new Watermark(Instant.parse("2026-12-31T23:59:55Z")));
    }

    @Test
    void shouldNotMoveWatermarkBackWhenEventsFollowAnIdleAdvance() {
        WatermarkTracker tracker = new WatermarkTracker(BOUND, IDLE, clock);
        tracker.onEvent(WALL_START.minus(Duration.ofMinutes(10)));
        Watermark idle = tracker.onIdleCheck(WALL_START.plus(IDLE)).orElseThrow();

        Watermark afterEvent = tracker.onEvent(WALL_START); // stream time − bound is now before the idle watermark

        assertThat(afterEvent).isEqualTo(idle);
        assertThat(tracker.streamTime()).isEqualTo(new StreamTime(WALL_START));
    }

    @Test
    void shouldNeverMoveWatermarkBackwardsWhenTimesArriveInAnyOrder() {
        WatermarkTracker tracker = new WatermarkTracker(BOUND, IDLE, clock);
        Watermark previous = tracker.watermark();
        String[] times = {"09:10:00", "09:00:00", "09:10:04", "08:00:00", "09:10:03", "09:20:00", "09:19:59.999"};
        for (String t : times) {
            Watermark now = tracker.onEvent(time(t));
            assertThat(now).as("after %s", t).isGreaterThanOrEqualTo(previous);
            previous = now;
        }
        assertThat(previous).isEqualTo(watermark("09:19:55"));
    }

    @Test
    void shouldTruncateIdleWatermarkToMillisecondsWhenWallClockHasMicroseconds() {
        WatermarkTracker tracker = new WatermarkTracker(BOUND, IDLE, clock);

        Optional<Watermark> advanced = tracker.onIdleCheck(WALL_START.plus(IDLE).plusNanos(1_999_999));

        assertThat(advanced).contains(new Watermark(WALL_START.plus(IDLE).minus(BOUND).plusMillis(1)));
    }

    @Test
    void shouldKeepStoredWatermarkWhenResumedAheadOfStreamTime() {
        Watermark stored = watermark("09:30:00"); // an idle advance before the restart
        WatermarkTracker tracker = WatermarkTracker.resume(new StreamTime(time("09:10:00")), stored, BOUND, Duration.ZERO, clock);

        assertThat(tracker.watermark()).isEqualTo(stored);
        assertThat(tracker.onEvent(time("09:20:00"))).isEqualTo(stored);
    }

    @Test
    void shouldDeriveWatermarkFromStreamTimeWhenResumedWithNone() {
        WatermarkTracker tracker = WatermarkTracker.resume(new StreamTime(time("09:10:00")), Watermark.NONE, BOUND, Duration.ZERO, clock);

        assertThat(tracker.watermark()).isEqualTo(watermark("09:09:55"));
    }

    @Test
    void shouldRejectNegativeDurationsWhenConstructed() {
        assertThatThrownBy(() -> new WatermarkTracker(Duration.ofSeconds(-1), IDLE, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxOutOfOrderness must be >= 0");
        assertThatThrownBy(() -> new WatermarkTracker(BOUND, Duration.ofSeconds(-1), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleAdvance must be >= 0");
    }

    private static Instant time(String timeOfDay) {
        return Instant.parse("2026-11-23T" + timeOfDay + "Z");
    }

    private static Watermark watermark(String timeOfDay) {
        return new Watermark(time(timeOfDay));
    }
}
