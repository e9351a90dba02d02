package dev.pulse.ingest.kafka;

/** One record read from the event log, detached from Kafka's types so the pipeline never sees them. */
public record LogRecord(String topic, int partition, long offset, String key, byte[] value) {
}
