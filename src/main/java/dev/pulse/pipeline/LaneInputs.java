package dev.pulse.pipeline;

import dev.pulse.ingest.kafka.LogRecord;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A lane's inputs, asked for one at a time: {@code concatMap} (no prefetch in Reactor 3.5+) takes the next
 * input only when the step before it is over, and {@code merge} keeps at most one batch ready behind it.
 * While a checkpoint is slow, the lane's records therefore wait in the buffer's queue rather than as a row
 * of small batches cut by the interval, and the batch that follows the stall takes all the lane had
 * queued (up to the batch size): recovery takes few large transactions, not many small ones. The fair
 * {@code bufferTimeout} never fails for lack of demand (CONVENTIONS §3.3); what it reads ahead is bounded
 * by the pipeline's {@link InFlightLimit}.
 *
 * <p>Needs reactor-core 3.8.7 or later: in 3.8.6 the fair {@code bufferTimeout} set no timer for records that
 * reached it while it was asking upstream for more, so a partial batch could wait, with demand, until the
 * lane received a full batch more; after a burst, a partition stopped for minutes (LaneInputsTest).
 */
final class LaneInputs {

    private LaneInputs() {
    }

    /** One input of a lane: a micro-batch of records, or an idle check ({@link #IDLE_CHECK}, no records). */
    record LaneInput(List<LogRecord> records) {
        static final LaneInput IDLE_CHECK = new LaneInput(null);
    }

    /**
     * Batches of at most {@code maxEvents} records, each cut at the latest {@code interval} after its first
     * record (whenever the lane asks for one), merged with idle checks that stop when {@code draining} emits.
     */
    static Flux<LaneInput> of(Flux<LogRecord> records, int maxEvents, Duration interval, Duration idleAdvance,
                              Scheduler scheduler, Mono<Void> draining) {
        Flux<LaneInput> batches = records
                .bufferTimeout(maxEvents, interval, scheduler, true)
                .map(LaneInput::new);
        return Flux.merge(1, batches, IdleChecks.every(idleAdvance, scheduler)
                .takeUntilOther(draining)
                .map(tick -> LaneInput.IDLE_CHECK));
    }
}
