package dev.pulse.config;

import dev.pulse.projection.ReplaySwitchover;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A rebuild (SPEC §4.1, {@code scripts/replay}): set {@code from} and this process does not serve the live
 * stream but rebuilds every projection of the consumer group from the log into schema {@code schema}, then
 * switches the live tables over and exits. {@code from} is {@code earliest} (the whole log) or an ISO-8601
 * instant: each partition is then read from its first record whose Kafka timestamp is at or after it. A rebuild
 * starts from an empty state either way, so a later start leaves the older records out of every projection, as
 * if the topic's retention had removed them.
 *
 * @param maxGap   the replay starts its switch-over once it is at most this many records behind the live
 *                 checkpoints (summed over partitions); live checkpoints wait while it finishes that gap
 * @param catchUp  how long a switch-over may hold the live checkpoints while the replay finishes; longer, and
 *                 it rolls back and is tried again
 * @param poll     how often the replay reads the live checkpoints' offsets (its ceiling)
 */
@ConfigurationProperties("pulse.replay")
public record ReplayProperties(String from,
                               @DefaultValue("pulse_replay") String schema,
                               @DefaultValue("20000") long maxGap,
                               @DefaultValue("30s") Duration catchUp,
                               @DefaultValue("500ms") Duration poll) {

    private static final String EARLIEST = "earliest";

    public ReplayProperties {
        if (from != null && !from.isBlank() && !EARLIEST.equals(from)) {
            try {
                Instant.parse(from);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("pulse.replay.from must be 'earliest' or an ISO-8601 instant such as"
                        + " 2026-11-01T00:00:00Z, was '" + from + "'");
            }
        }
        ReplaySwitchover.identifier(schema);
        if ("public".equals(schema)) {
            throw new IllegalArgumentException("pulse.replay.schema must not be the live schema 'public'");
        }
        if (maxGap < 0) {
            throw new IllegalArgumentException("pulse.replay.max-gap must be >= 0, was " + maxGap);
        }
        if (catchUp.isZero() || catchUp.isNegative() || poll.isZero() || poll.isNegative()) {
            throw new IllegalArgumentException("pulse.replay.catch-up and pulse.replay.poll must be > 0");
        }
    }

    /**
     * Where the rebuild starts reading the log: empty for the beginning ({@code earliest}), else the instant whose
     * first record (by Kafka timestamp) each partition is read from. Only meaningful when {@link #active()}.
     */
    public Optional<Instant> startInstant() {
        return !active() || EARLIEST.equals(from) ? Optional.empty() : Optional.of(Instant.parse(from));
    }

    /**
     * Refuses a start instant after {@code now}: every partition would start at its end, and the switch-over would
     * replace every projection with empty tables (a mistyped year, say). The replaced tables would be kept, but a
     * rebuild of nothing is never what was meant.
     */
    public void requireStartNotAfter(Instant now) {
        startInstant().filter(start -> start.isAfter(now)).ifPresent(start -> {
            throw new IllegalArgumentException("pulse.replay.from " + start + " is after the current time " + now
                    + ": a rebuild from there would hold no event");
        });
    }

    /** True when this process is a replay. */
    public boolean active() {
        return from != null && !from.isBlank();
    }
}
