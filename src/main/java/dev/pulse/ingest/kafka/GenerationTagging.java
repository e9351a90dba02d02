package dev.pulse.ingest.kafka;

import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Wraps a deserializer so that each decoded key or value carries the assignment generation current at
 * decoding time. The consumer decodes inside {@code poll()}, on the polling thread, after that poll's
 * rebalance callbacks ran; Reactor Kafka hands records downstream later and on another thread, which is
 * why the generation must be read here and not when the record is mapped.
 */
final class GenerationTagging<T> implements Deserializer<GenerationTagging.Tagged<T>> {

    /** A decoded key or value and the generation current when it was decoded. */
    record Tagged<T>(T data, long generation) {
    }

    private final Deserializer<T> inner;
    private final LongSupplier generation;

    GenerationTagging(Deserializer<T> inner, LongSupplier generation) {
        this.inner = inner;
        this.generation = generation;
    }

    @Override
    public Tagged<T> deserialize(String topic, byte[] data) {
        return new Tagged<>(inner.deserialize(topic, data), generation.getAsLong());
    }

    @Override
    public void close() {
        inner.close();
    }
}
