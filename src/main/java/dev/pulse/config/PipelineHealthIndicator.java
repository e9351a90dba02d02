package dev.pulse.config;

import dev.pulse.pipeline.EventPipeline;
import dev.pulse.projection.CheckpointQueries;
import dev.pulse.projection.CheckpointStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * {@code pipeline} in {@code /actuator/health} (SPEC §4): {@code DOWN} while a partition this instance
 * owns is in {@code error} (details per partition: its error and offset), or while the pipeline failed
 * and has neither claimed a partition nor committed since (e.g. Kafka unreachable). Read from
 * {@code stream_checkpoints}, so it agrees with {@code GET /api/stream/status}.
 */
final class PipelineHealthIndicator implements ReactiveHealthIndicator {

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

    private final EventPipeline pipeline;
    private final CheckpointQueries checkpoints;

    PipelineHealthIndicator(EventPipeline pipeline, CheckpointQueries checkpoints) {
        this.pipeline = pipeline;
        this.checkpoints = checkpoints;
    }

    @Override
    public Mono<Health> health() {
        return checkpoints.inError(pipeline.instanceId()).collectList()
                .timeout(QUERY_TIMEOUT)
                .map(this::health)
                .onErrorResume(e -> {
                    // The checkpoints cannot be read (the database is away): still say whether the pipeline failed.
                    Health.Builder health = Health.down(e).withDetail("instance", pipeline.instanceId());
                    pipeline.currentFailure().ifPresent(reason -> health.withDetail("pipeline", reason));
                    return Mono.just(health.build());
                });
    }

    private Health health(List<CheckpointStatus> inError) {
        Health.Builder health = inError.isEmpty() && pipeline.currentFailure().isEmpty() ? Health.up() : Health.down();
        health.withDetail("instance", pipeline.instanceId());
        pipeline.currentFailure().ifPresent(reason -> health.withDetail("pipeline", reason));
        if (!inError.isEmpty()) {
            Map<String, Object> partitions = new LinkedHashMap<>();
            for (CheckpointStatus p : inError) {
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("status", p.status());
                detail.put("last_error", p.lastError());
                detail.put("offset", p.lastOffset());
                detail.put("owner_epoch", p.ownerEpoch());
                detail.put("since", p.updatedDate());
                partitions.put(Integer.toString(p.partition()), detail);
            }
            health.withDetail("partitions_in_error", partitions);
        }
        return health.build();
    }
}
