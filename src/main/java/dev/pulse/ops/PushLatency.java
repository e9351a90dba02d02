package dev.pulse.ops;

import dev.pulse.projection.FamilyMetricsRow;
import dev.pulse.push.hub.UpdateHub;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;

/**
 * {@code pulse.push.latency} (SPEC §5.6, the end-to-end latency histogram): for every family row a committed update
 * brings to this instance's hub, wall clock − the family's {@code last_event_timestamp}, i.e. event time to the moment
 * the update is handed to every connected client's outbox. It covers Kafka, the micro-batch, the checkpoint and the
 * cross-instance relay; not the client's own socket write (that happens per client, inside {@code push.ws}). The
 * dashboard's {@code latency_ms_p50}/{@code p99} are the same measure over one second. Events with old timestamps
 * (a backfill, a row pushed because an event left its 7-day range) land in the top bucket.
 */
public final class PushLatency {

    private final UpdateHub hub;
    private final InstantSource clock;
    private final Timer latency;

    public PushLatency(UpdateHub hub, InstantSource clock, MeterRegistry registry) {
        this.hub = hub;
        this.clock = clock;
        this.latency = Timer.builder("pulse.push.latency")
                .description("event time to the committed update reaching this instance's push hub, per family row")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    /**
     * Hot while subscribed: records every family row of every {@code metrics} update, on the hub's thread (one
     * subtraction and one histogram update each, no blocking). Completes never; cancel to stop.
     */
    public Flux<UpdateHub.Update> run() {
        return hub.updates().doOnNext(update -> {
            if (update instanceof UpdateHub.Metrics metrics) {
                long now = clock.millis();
                for (FamilyMetricsRow row : metrics.rows()) {
                    if (row.lastEventTimestamp() != null) {
                        latency.record(Math.max(0, now - row.lastEventTimestamp().toEpochMilli()), TimeUnit.MILLISECONDS);
                    }
                }
            }
        });
    }
}
