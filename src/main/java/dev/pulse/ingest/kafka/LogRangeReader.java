package dev.pulse.ingest.kafka;

import dev.pulse.config.KafkaProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a stretch of the event log outside the consumer group (SPEC §4.1 backtests): a plain
 * {@code KafkaConsumer} with {@code assign} and {@code seek}, which commits nothing and joins no group, so the
 * pipeline never notices it. Every method blocks: call it from {@code Schedulers.boundedElastic()}, never from
 * an event loop. One {@link Session} per use, closed after it.
 */
public final class LogRangeReader {

    /** Offsets {@code [start, end)} of one partition; {@code end} is the log end when the session planned it. */
    public record OffsetRange(int partition, long start, long end) {
        public long size() {
            return Math.max(0, end - start);
        }
    }

    private final KafkaProperties properties;

    public LogRangeReader(KafkaProperties properties) {
        this.properties = properties;
    }

    /** A consumer of its own for one read; close it when done. */
    public Session open(Duration timeout) {
        return new Session(timeout);
    }

    public final class Session implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final long deadlineNanos;

        private Session(Duration timeout) {
            int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            this.consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.maxPollRecords(),
                    ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                    ConsumerConfig.CLIENT_ID_CONFIG, "pulse-backtest"),
                    new StringDeserializer(), new ByteArrayDeserializer());
            this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        }

        /**
         * Per partition, from the first record whose log timestamp is at or after {@code since} to the current
         * log end. Records are stamped when appended, which is never before the event they carry happened (an
         * event is sent after it occurs), so every record with event time &gt;= {@code since} lies in the range;
         * the range may also hold earlier events that arrived late, which the caller filters.
         */
        public List<OffsetRange> plan(Instant since) {
            List<TopicPartition> partitions = consumer.partitionsFor(properties.topic(), remaining()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query, remaining());
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, remaining());
            Map<Integer, OffsetRange> ranges = new TreeMap<>();
            for (TopicPartition p : partitions) {
                long end = ends.getOrDefault(p, 0L);
                OffsetAndTimestamp start = starts.get(p);
                // no record at or after `since`: nothing to read in this partition
                ranges.put(p.partition(), new OffsetRange(p.partition(), start == null ? end : Math.min(start.offset(), end), end));
            }
            return List.copyOf(ranges.values());
        }

        /** Reads the range in offset order, handing over each poll's records; throws when the session's time is up. */
        public void read(OffsetRange range, Consumer<List<LogRecord>> chunk) throws TimeoutException {
            if (range.size() == 0) {
                return;
            }
            TopicPartition tp = new TopicPartition(properties.topic(), range.partition());
            consumer.assign(List.of(tp));
            consumer.seek(tp, range.start());
            while (consumer.position(tp, remaining()) < range.end()) {
                if (System.nanoTime() > deadlineNanos) {
                    throw new TimeoutException("reading partition " + range.partition() + " did not finish in time");
                }
                List<LogRecord> records = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < range.end()) {
                        records.add(new LogRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value(),
                                EventLogReceiver.UNTAGGED));
                    }
                }
                if (!records.isEmpty()) {
                    chunk.accept(records);
                }
            }
        }

        private Duration remaining() {
            return Duration.ofNanos(Math.max(1_000_000L, deadlineNanos - System.nanoTime()));
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
