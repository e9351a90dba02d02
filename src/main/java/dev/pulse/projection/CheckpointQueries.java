package dev.pulse.projection;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;

/** Reads {@code stream_checkpoints} of this consumer group and topic. Cold {@code Flux}es that complete after the last row and error with the driver's exception. */
public final class CheckpointQueries {

    private static final String COLUMNS = """
            kafka_partition, last_offset, last_event_timestamp, stream_time, watermark, processing_lag_seconds,
            events_per_second, events_processed_total, duplicates_dropped, late_events, dead_lettered, status,
            last_error, owner_instance, owner_epoch, updated_date""";

    private final DatabaseClient db;
    private final String consumerGroup;
    private final String topic;

    public CheckpointQueries(DatabaseClient db, String consumerGroup, String topic) {
        this.db = db;
        this.consumerGroup = consumerGroup;
        this.topic = topic;
    }

    /** Every partition with a checkpoint row, by partition number. */
    public Flux<CheckpointStatus> all() {
        return db.sql("select " + COLUMNS + " from stream_checkpoints where consumer_group = $1 and topic = $2 order by kafka_partition")
                .bind(0, consumerGroup)
                .bind(1, topic)
                .map(CheckpointQueries::status)
                .all();
    }

    /** The partitions {@code owner} holds (the last to claim them) whose status is {@code error}. */
    public Flux<CheckpointStatus> inError(String owner) {
        return db.sql("select " + COLUMNS + """
                         from stream_checkpoints
                        where consumer_group = $1 and topic = $2 and owner_instance = $3 and status = 'error'
                        order by kafka_partition""")
                .bind(0, consumerGroup)
                .bind(1, topic)
                .bind(2, owner)
                .map(CheckpointQueries::status)
                .all();
    }

    private static CheckpointStatus status(Readable row) {
        return new CheckpointStatus(
                row.get("kafka_partition", Integer.class),
                row.get("last_offset", Long.class),
                row.get("last_event_timestamp", java.time.Instant.class),
                row.get("stream_time", java.time.Instant.class),
                row.get("watermark", java.time.Instant.class),
                row.get("processing_lag_seconds", Double.class),
                row.get("events_per_second", Double.class),
                row.get("events_processed_total", Long.class),
                row.get("duplicates_dropped", Long.class),
                row.get("late_events", Long.class),
                row.get("dead_lettered", Long.class),
                row.get("status", String.class),
                row.get("last_error", String.class),
                row.get("owner_instance", String.class),
                row.get("owner_epoch", Long.class),
                row.get("updated_date", java.time.Instant.class));
    }
}
