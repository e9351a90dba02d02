package dev.pulse.ingest.kafka;

/**
 * One record read from the event log, detached from Kafka's types so the pipeline never sees them.
 *
 * @param generation the {@link Assignment#generation()} that was current when the consumer decoded the
 *                   record: a record whose generation is older than its partition's latest assignment was
 *                   read before that assignment's seek, and its lane must not take it
 */
public record LogRecord(String topic, int partition, long offset, String key, byte[] value, long generation) {
}
