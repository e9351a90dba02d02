package dev.pulse.rules;

import java.time.Duration;
import java.time.Instant;

/**
 * {@code watermark − lookback}, the frozen horizon of every family's {@link Ledger} (or {@link Instant#MIN} for a
 * watermark within one lookback of it). One per compiled rule set, shared by its families: the families stepped
 * under one watermark then hold one horizon instance instead of an instant each. Thread-safe: the last answer is an
 * immutable pair, so a thread that reads another's only reuses an equal value.
 */
final class FrozenHorizon {

    private record Last(Instant watermark, Instant horizon) {
    }

    private final Duration lookback;
    private volatile Last last = new Last(Instant.MIN, Instant.MIN);

    FrozenHorizon(Duration lookback) {
        this.lookback = lookback;
    }

    Instant of(Instant watermark) {
        Last known = last;
        if (known.watermark().equals(watermark)) {
            return known.horizon();
        }
        Instant horizon = watermark.isBefore(Instant.MIN.plus(lookback)) ? Instant.MIN : watermark.minus(lookback);
        last = new Last(watermark, horizon);
        return horizon;
    }
}
