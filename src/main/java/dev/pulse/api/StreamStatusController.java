package dev.pulse.api;

import dev.pulse.ingest.kafka.LogEndOffsets;
import dev.pulse.projection.CheckpointQueries;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/stream/status} (SPEC §5.1, §7): any instance answers for every partition of the group. */
@RestController
@Tag(name = "stream", description = "partitions, offsets, lag and totals of the consumer group")
class StreamStatusController {

    private static final Logger log = LoggerFactory.getLogger(StreamStatusController.class);

    private final CheckpointQueries checkpoints;
    private final LogEndOffsets endOffsets;
    private final InstantSource clock;

    StreamStatusController(CheckpointQueries checkpoints, LogEndOffsets endOffsets, InstantSource clock) {
        this.checkpoints = checkpoints;
        this.endOffsets = endOffsets;
        this.clock = clock;
    }

    /**
     * Checkpoint rows from PostgreSQL and end offsets from the broker, asked at once. A broker that does
     * not answer in time leaves {@code end_offset} and {@code lag} null rather than failing the answer.
     */
    @GetMapping("/api/stream/status")
    @Operation(summary = "Per partition: offset, lag, watermark, throughput; totals of processed, duplicates, late, dead-lettered",
            description = "Any instance answers for every partition of the group. end_offset and lag are null when the broker "
                    + "did not answer within 5 s.")
    @ApiResponse(responseCode = "200", description = "every partition of the group, and the totals",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = StreamStatus.class)))
    Mono<StreamStatus> status() {
        Mono<Optional<Map<Integer, LogEndOffsets.LogRange>>> ranges = endOffsets.ranges()
                .map(Optional::of)
                .onErrorResume(e -> {
                    log.warn("end offsets unavailable for /api/stream/status: {}", e.toString());
                    return Mono.just(Optional.empty());
                });
        return Mono.zip(checkpoints.all().collectList(), ranges)
                .map(both -> StreamStatus.of(both.getT1(), both.getT2().orElse(null), clock.instant()));
    }
}
