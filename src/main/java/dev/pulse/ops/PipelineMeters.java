package dev.pulse.ops;

import dev.pulse.projection.BatchOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The pipeline's counts as meters (SPEC §5.6), from each committed micro-batch of this instance: what a batch's
 * checkpoint adds to {@code stream_checkpoints}, so the meters summed over instances grow exactly as
 * {@code GET /api/stream/status} totals do. A batch that rolled back (failed, fenced) counts nothing; its records
 * are counted when they are committed after the replay.
 * <ul>
 *   <li>{@code pulse.events.received}: records consumed ({@code processed + duplicates + dead-lettered});</li>
 *   <li>{@code pulse.events.processed}: distinct new events applied;</li>
 *   <li>{@code pulse.events.duplicates}: events dropped because their id was seen before;</li>
 *   <li>{@code pulse.events.late}: events late for at least one window (each once, SPEC §7);</li>
 *   <li>{@code pulse.events.dead.lettered}: records sent to the dead-letter topic.</li>
 * </ul>
 */
public final class PipelineMeters {

    private final Counter received;
    private final Counter processed;
    private final Counter duplicates;
    private final Counter late;
    private final Counter deadLettered;

    public PipelineMeters(MeterRegistry registry) {
        this.received = Counter.builder("pulse.events.received")
                .description("records consumed from the log and committed: processed + duplicates + dead-lettered")
                .register(registry);
        this.processed = Counter.builder("pulse.events.processed")
                .description("distinct new events applied to the projections").register(registry);
        this.duplicates = Counter.builder("pulse.events.duplicates")
                .description("events dropped because their event_id was processed before").register(registry);
        this.late = Counter.builder("pulse.events.late")
                .description("events late for at least one window (counted once each)").register(registry);
        this.deadLettered = Counter.builder("pulse.events.dead.lettered")
                .description("records that were not valid events, sent to the dead-letter topic").register(registry);
    }

    /** Counts one committed batch; idle checks commit with zero counts. Cheap and non-blocking. */
    public void record(BatchOutcome batch) {
        received.increment(batch.processed() + batch.duplicates() + batch.deadLettered());
        processed.increment(batch.processed());
        duplicates.increment(batch.duplicates());
        late.increment(batch.lateEvents());
        deadLettered.increment(batch.deadLettered());
    }
}
