package dev.pulse.ingest.kafka;

import java.util.Map;
import java.util.Objects;

/** A record to append: key (the family id for events), value, and headers (DLQ diagnostics). */
public record OutgoingRecord(String key, byte[] value, Map<String, String> headers) {

    public OutgoingRecord {
        Objects.requireNonNull(value, "value");
        headers = Map.copyOf(headers);
    }

    public static OutgoingRecord of(String key, byte[] value) {
        return new OutgoingRecord(key, value, Map.of());
    }
}
