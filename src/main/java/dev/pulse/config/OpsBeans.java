package dev.pulse.config;

import dev.pulse.ingest.kafka.LogEndOffsets;
import dev.pulse.ops.ConnectedClients;
import dev.pulse.ops.ConsumerLag;
import dev.pulse.ops.KafkaHealthIndicator;
import dev.pulse.ops.PipelineMeters;
import dev.pulse.ops.PushLatency;
import dev.pulse.pipeline.EventPipeline;
import dev.pulse.projection.CheckpointQueries;
import dev.pulse.push.hub.UpdateHub;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

/** What operators watch (SPEC §5.6): the meters of the pipeline, lag, latency and clients, and the Kafka health. */
@Configuration(proxyBeanMethods = false)
class OpsBeans {

    /** Often enough for a 15 s scrape interval; one checkpoint query and one offsets request each time. */
    private static final Duration LAG_INTERVAL = Duration.ofSeconds(5);

    @Bean
    PipelineMeters committedBatchMeters(MeterRegistry registry) {
        return new PipelineMeters(registry);
    }

    @Bean
    dev.pulse.web.CloseAfterUnreadBody closeAfterUnreadBody() {
        return new dev.pulse.web.CloseAfterUnreadBody();
    }

    @Bean
    ConnectedClients connectedClients(MeterRegistry registry) {
        return new ConnectedClients(registry);
    }

    @Bean
    dev.pulse.security.ConnectionsPerUser connectionsPerUser(LiveProperties live, tools.jackson.databind.json.JsonMapper json) {
        return new dev.pulse.security.ConnectionsPerUser(live.maxConnectionsPerUser(), json);
    }

    /** {@code kafka} in {@code /actuator/health}, next to {@code r2dbc} (PostgreSQL) and {@code pipeline}. */
    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(LogEndOffsets offsets, KafkaProperties kafka) {
        return new KafkaHealthIndicator(offsets::ranges, kafka.topic());
    }

    @Bean
    FluxLifecycle consumerLag(CheckpointQueries checkpoints, LogEndOffsets offsets, EventPipeline pipeline, MeterRegistry registry) {
        ConsumerLag lag = new ConsumerLag(checkpoints::all, offsets::ranges, pipeline.instanceId(), registry,
                Schedulers.parallel(), LAG_INTERVAL, pipeline::recordsInFlight);
        return new FluxLifecycle("consumer lag meter", lag::run);
    }

    @Bean
    FluxLifecycle pushLatency(UpdateHub hub, InstantSource clock, MeterRegistry registry) {
        PushLatency latency = new PushLatency(hub, clock, registry);
        return new FluxLifecycle("push latency meter", latency::run);
    }
}
