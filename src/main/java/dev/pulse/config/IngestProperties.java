package dev.pulse.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** Limits of {@code POST /api/events} (SPEC §1.3): over either one the answer is {@code 413}. */
@ConfigurationProperties("pulse.ingest")
public record IngestProperties(@DefaultValue("16MB") DataSize maxBodySize,
                               @DefaultValue("100000") int maxEventsPerRequest) {

    public IngestProperties {
        if (maxBodySize.toBytes() < 1) {
            throw new IllegalArgumentException("pulse.ingest.max-body-size must be > 0, was " + maxBodySize);
        }
        if (maxEventsPerRequest < 1) {
            throw new IllegalArgumentException("pulse.ingest.max-events-per-request must be >= 1, was " + maxEventsPerRequest);
        }
    }
}
