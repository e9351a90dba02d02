package dev.pulse.ingest.simulator;

import dev.pulse.config.SimulatorProperties;
import dev.pulse.ingest.EventJson;
import dev.pulse.ingest.kafka.EventLogSender;
import dev.pulse.ingest.kafka.OutgoingRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Writes simulated events to the event log, the same path as every other producer: first the
 * configured history, then live events at the configured rate. Off unless {@code pulse.simulator.enabled}.
 */
public final class Simulator {

    private static final Logger log = LoggerFactory.getLogger(Simulator.class);
    private static final int HISTORY_CHUNK = 500;
    private static final Duration LIVE_TICK = Duration.ofMillis(100);

    private final SimulatorProperties properties;
    private final EventLogSender sender;
    private final EventJson json;
    private final InstantSource clock;
    private final Scheduler scheduler;

    public Simulator(SimulatorProperties properties, EventLogSender sender, EventJson json, InstantSource clock, Scheduler scheduler) {
        this.properties = properties;
        this.sender = sender;
        this.json = json;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /** Cold and infinite: the history, then one batch of live events per tick. */
    public Flux<Integer> run() {
        return Flux.defer(() -> {
            SimulatedFamilies families = new SimulatedFamilies(properties.families(), properties.seed(), properties.schemaV2Share());
            Instant start = clock.instant();
            List<Map<String, Object>> history = families.history(start.minus(properties.history()), start);
            log.info("simulator: writing {} history events for {} families, then {} events/s",
                    history.size(), properties.families(), properties.eventsPerSecond());
            Flux<List<Map<String, Object>>> past = Flux.fromIterable(history).buffer(HISTORY_CHUNK);
            double perTick = properties.eventsPerSecond() * LIVE_TICK.toMillis() / 1000.0;
            double[] carry = {0};
            Flux<List<Map<String, Object>>> present = Flux.interval(LIVE_TICK, scheduler)
                    .onBackpressureDrop()
                    .map(tick -> {
                        carry[0] += perTick;
                        int n = (int) carry[0];
                        carry[0] -= n;
                        Instant now = clock.instant();
                        return java.util.stream.IntStream.range(0, n)
                                .mapToObj(i -> families.next(now, start.toEpochMilli()))
                                .toList();
                    })
                    .filter(batch -> !batch.isEmpty());
            return past.concatWith(present)
                    .concatMap(batch -> sender.appendEvents(batch.stream()
                                    .map(e -> OutgoingRecord.of((String) e.get("aggregate_id"), json.write(e)))
                                    .toList())
                            .thenReturn(batch.size()));
        }).retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
                .doBeforeRetry(s -> log.warn("simulator could not write to the log, retrying: {}", s.failure().toString())));
    }
}
