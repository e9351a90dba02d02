package dev.pulse.stream.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * One partition's stream time and watermark (SPEC §2). Mutable, single-threaded: owned by the
 * partition's lane.
 * <ul>
 *   <li>{@link #onEvent}: stream time = the largest event time seen; watermark = stream time −
 *       max out-of-orderness.</li>
 *   <li>{@link #onIdleCheck}: when nothing arrived for at least {@code idleAdvance} of wall time,
 *       the watermark moves to wall clock − max out-of-orderness, so windows close and absence
 *       patterns fire on a quiet partition. {@code idleAdvance = 0} turns this off (replays, backfills,
 *       deterministic tests).</li>
 * </ul>
 * The watermark never goes backwards: every candidate is taken with {@link Watermark#max}. Idle
 * advance moves only the watermark; stream time stays the largest event time seen.
 * <p>
 * The wall clock is read only through the injected {@link InstantSource}: at construction and on each
 * event (the time of the last arrival), and by {@link #onIdleCheck()}.
 */
public final class WatermarkTracker {

    private final Duration maxOutOfOrderness;
    private final Duration idleAdvance;
    private final InstantSource wallClock;
    private StreamTime streamTime;
    private Watermark watermark;
    /**
     * Wall time of the last arrival, to the millisecond: read for every event, and an {@code Instant} each time was
     * a sixtieth of what the engine allocated. Idle advance needs no finer clock.
     */
    private long lastArrivalMillis;

    /** A tracker for a partition with no events yet; the idle timer starts now (its assignment). */
    public WatermarkTracker(Duration maxOutOfOrderness, Duration idleAdvance, InstantSource wallClock) {
        this(StreamTime.NONE, Watermark.NONE, maxOutOfOrderness, idleAdvance, wallClock);
    }

    private WatermarkTracker(StreamTime streamTime, Watermark watermark, Duration maxOutOfOrderness,
                             Duration idleAdvance, InstantSource wallClock) {
        this.maxOutOfOrderness = Objects.requireNonNull(maxOutOfOrderness, "maxOutOfOrderness");
        this.idleAdvance = Objects.requireNonNull(idleAdvance, "idleAdvance");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        if (maxOutOfOrderness.isNegative()) {
            throw new IllegalArgumentException("maxOutOfOrderness must be >= 0, was " + maxOutOfOrderness);
        }
        if (idleAdvance.isNegative()) {
            throw new IllegalArgumentException("idleAdvance must be >= 0 (0 = off), was " + idleAdvance);
        }
        this.streamTime = Objects.requireNonNull(streamTime, "streamTime");
        // A restored watermark may be ahead of stream time − bound (an earlier idle advance): keep it.
        this.watermark = Objects.requireNonNull(watermark, "watermark").max(Watermark.of(streamTime, maxOutOfOrderness));
        this.lastArrivalMillis = wallClock.millis();
    }

    /**
     * A tracker for a partition resumed from a checkpoint (SPEC §3.4 stores both values). The watermark
     * is the later of the stored one and {@code streamTime − maxOutOfOrderness}.
     */
    public static WatermarkTracker resume(StreamTime streamTime, Watermark watermark, Duration maxOutOfOrderness,
                                          Duration idleAdvance, InstantSource wallClock) {
        return new WatermarkTracker(streamTime, watermark, maxOutOfOrderness, idleAdvance, wallClock);
    }

    /** Takes an event's time (late or not) and returns the watermark after it. */
    public Watermark onEvent(Instant eventTime) {
        arrived();
        return advance(eventTime);
    }

    /**
     * {@link #onEvent} without the arrival's wall time, for a caller taking a batch of events at once: it calls
     * {@link #arrived} after the batch, a read of the wall clock per batch instead of per event.
     */
    public Watermark advance(Instant eventTime) {
        Objects.requireNonNull(eventTime, "eventTime");
        StreamTime advanced = streamTime.advance(eventTime);
        if (advanced != streamTime) {
            // Unmoved stream time gives the candidate already taken: not built again for every out-of-order event.
            streamTime = advanced;
            watermark = watermark.max(Watermark.of(streamTime, maxOutOfOrderness));
        }
        return watermark;
    }

    /** Events arrived now: idle-advance waits {@code idleAdvance} of wall time from here. */
    public void arrived() {
        lastArrivalMillis = wallClock.millis();
    }

    /** {@link #onIdleCheck(Instant)} at the injected clock's current instant. */
    public Optional<Watermark> onIdleCheck() {
        return onIdleCheck(wallClock.instant());
    }

    /**
     * Advances the watermark to {@code wallNow − maxOutOfOrderness} (truncated to milliseconds, like
     * event times) when idle advance is on and at least {@code idleAdvance} passed since the last
     * arrival: {@code wallNow − lastArrival ≥ idleAdvance}.
     *
     * @return the new watermark when it moved; empty when idle advance is off, the partition is not
     *         idle, or the candidate is not after the current watermark (a wall clock behind event time)
     */
    public Optional<Watermark> onIdleCheck(Instant wallNow) {
        Objects.requireNonNull(wallNow, "wallNow");
        if (!isIdleAdvanceEnabled() || Duration.between(lastArrival(), wallNow).compareTo(idleAdvance) < 0) {
            return Optional.empty();
        }
        Watermark candidate = new Watermark(wallNow.minus(maxOutOfOrderness).truncatedTo(ChronoUnit.MILLIS));
        if (!candidate.isAfter(watermark)) {
            return Optional.empty();
        }
        watermark = candidate;
        return Optional.of(watermark);
    }

    public StreamTime streamTime() {
        return streamTime;
    }

    public Watermark watermark() {
        return watermark;
    }

    /** Wall time of the last {@link #onEvent}, or of construction when no event arrived since. */
    public Instant lastArrival() {
        return Instant.ofEpochMilli(lastArrivalMillis);
    }

    public boolean isIdleAdvanceEnabled() {
        return !idleAdvance.isZero();
    }

    public Duration maxOutOfOrderness() {
        return maxOutOfOrderness;
    }

    public Duration idleAdvance() {
        return idleAdvance;
    }
}
