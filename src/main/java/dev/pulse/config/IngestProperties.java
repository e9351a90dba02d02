package dev.pulse.config;

import dev.pulse.event.EventValidator;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what comes in (SPEC §1.3, §5.5 "bounded everything"). Over {@code maxBodySize} or
 * {@code maxEventsPerRequest} a request is answered {@code 413}. {@code maxStringLength} bounds every string and
 * property name of a record, on both paths (HTTP and records read from Kafka, which go to the DLQ). {@code maxEventSize}
 * bounds one event as Pulse appends it to the log: the Kafka producer refuses a record over its
 * {@code max.request.size} (1 MiB by default), which would fail the whole request, so a larger event is refused
 * on its own instead, and the rest of the request is kept.
 */
@ConfigurationProperties("pulse.ingest")
public record IngestProperties(@DefaultValue("16MB") DataSize maxBodySize,
                               @DefaultValue("100000") int maxEventsPerRequest,
                               @DefaultValue("10000") int maxStringLength,
                               @DefaultValue("64KB") DataSize maxEventSize) {

    /** Kafka's default {@code max.request.size} (1 MiB) less room for the key, headers and batch framing. */
    static final DataSize LARGEST_EVENT = DataSize.ofKilobytes(1000);

    public IngestProperties {
        if (maxBodySize.toBytes() < 1) {
            throw new IllegalArgumentException("pulse.ingest.max-body-size must be > 0, was " + maxBodySize.toBytes() + " bytes");
        }
        if (maxEventsPerRequest < 1) {
            throw new IllegalArgumentException("pulse.ingest.max-events-per-request must be >= 1, was " + maxEventsPerRequest);
        }
        if (maxStringLength < EventValidator.MAX_AGGREGATE_ID_LENGTH) {
            throw new IllegalArgumentException("pulse.ingest.max-string-length must be >= " + EventValidator.MAX_AGGREGATE_ID_LENGTH
                    + " (an aggregate_id may have that many characters), was " + maxStringLength);
        }
        if (maxEventSize.toBytes() < 1024 || maxEventSize.toBytes() > LARGEST_EVENT.toBytes()) {
            throw new IllegalArgumentException("pulse.ingest.max-event-size must be between 1KB and 1000KB (the Kafka"
                    + " producer refuses records over 1 MiB), was " + maxEventSize.toBytes() + " bytes");
        }
    }
}
