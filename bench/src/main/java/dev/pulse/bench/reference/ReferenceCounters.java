package dev.pulse.bench.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.WindowedSerdes;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The reference Pulse is compared with (issue 7): a textbook Kafka Streams application doing a subset of
 * Pulse's work on the same topic — per family, 1-minute tumbling windows with count, sum, min and max per
 * event type (grace 5 s, as Pulse's max-out-of-orderness), and the latest score — with exactly_once_v2.
 * Records are already keyed by family, so grouping by key needs no repartition; the window holds every
 * type of the family in one aggregate (grouping by (family, type) would repartition, reorder time, and
 * drop events as late: STACK.md measured 71% lost that way).
 *
 * <p>Usage: {@code ReferenceCounters BOOTSTRAP TOPIC APPLICATION_ID [THREADS] [GUARANTEE]}; runs until killed.
 */
public final class ReferenceCounters {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReferenceCounters() {
    }

    public static void main(String[] args) throws InterruptedException {
        String bootstrap = args[0];
        String topic = args[1];
        String applicationId = args[2];
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        String guarantee = args.length > 4 ? args[4] : StreamsConfig.EXACTLY_ONCE_V2;

        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        config.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/pulse-bench-streams-" + applicationId);
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 1000);

        KafkaStreams streams = new KafkaStreams(topology(topic, applicationId), config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(10));
            stopped.countDown();
        }));
        streams.start();
        stopped.await();
    }

    static org.apache.kafka.streams.Topology topology(String topic, String applicationId) {
        StreamsBuilder builder = new StreamsBuilder();
        // The value serde parses each record's JSON once; the timestamp extractor reads the parsed event. Its
        // serializer is never used for the source: records are keyed by family already, so no repartition topic.
        Serde<Parsed> parsed = Serdes.serdeFrom((t, p) -> p.bytes(), (t, b) -> parse(b));
        KStream<String, Parsed> events = builder
                .stream(topic, Consumed.with(Serdes.String(), parsed).withTimestampExtractor(new EventTime()));

        Serde<Counters> counters = Serdes.serdeFrom((t, c) -> c.bytes(), (t, b) -> Counters.of(b));
        events.groupByKey(Grouped.with(Serdes.String(), parsed))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(5)))
                .aggregate(Counters::new, (family, event, window) -> window.add(event),
                        Materialized.with(Serdes.String(), counters))
                .toStream()
                .to(applicationId + "-counters", Produced.with(WindowedSerdes.timeWindowedSerdeFrom(String.class, 60_000), counters));

        Serde<Latest> latest = Serdes.serdeFrom((t, l) -> l.bytes(), (t, b) -> Latest.of(b));
        events.filter((family, event) -> event.score != null)
                .mapValues(event -> new Latest(event.timeMillis, event.score))
                .groupByKey(Grouped.with(Serdes.String(), latest))
                .reduce((older, newer) -> newer.timeMillis >= older.timeMillis ? newer : older,
                        Materialized.with(Serdes.String(), latest))
                .toStream()
                .mapValues(last -> last.score)
                .to(applicationId + "-latest-score", Produced.with(Serdes.String(), Serdes.Integer()));
        return builder.build();
    }

    /** What the aggregates need of an event, parsed once. */
    record Parsed(String type, long timeMillis, Double value, Integer score) {
        byte[] bytes() {
            byte[] name = type.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(4 + name.length + 8 + 9 + 5).putInt(name.length).put(name).putLong(timeMillis)
                    .put((byte) (value == null ? 0 : 1)).putDouble(value == null ? 0 : value)
                    .put((byte) (score == null ? 0 : 1)).putInt(score == null ? 0 : score).array();
        }
    }

    static Parsed parse(byte[] json) {
        try {
            JsonNode event = JSON.readTree(json);
            String type = event.path("event_type").asText();
            long time = Instant.parse(event.path("event_timestamp").asText()).toEpochMilli();
            JsonNode data = event.path("event_data");
            Integer score = null;
            Double value = null;
            if (type.equals("EngagementScoreUpdated")) {
                JsonNode s = data.has("new_score") ? data.get("new_score") : data.get("score");
                score = s == null ? null : s.asInt();
                value = score == null ? null : score.doubleValue();
            } else if (type.equals("PaymentReceived")) {
                value = data.has("amount") ? data.get("amount").asDouble()
                        : data.has("amount_cents") ? data.get("amount_cents").asLong() / 100.0 : null;
            }
            return new Parsed(type, time, value, score);
        } catch (java.io.IOException | RuntimeException e) {
            return new Parsed("invalid", 0, null, null);
        }
    }

    /** Event time, as Pulse uses it. */
    static final class EventTime implements TimestampExtractor {
        @Override
        public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
            return record.value() instanceof Parsed event && event.timeMillis > 0 ? event.timeMillis : partitionTime;
        }
    }

    /** Count, sum, min and max per event type within one family's window. */
    static final class Counters {
        final TreeMap<String, double[]> byType = new TreeMap<>();

        Counters add(Parsed event) {
            double[] a = byType.computeIfAbsent(event.type, t -> new double[] {0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
            a[0]++;
            if (event.value != null) {
                a[1] += event.value;
                a[2] = Math.min(a[2], event.value);
                a[3] = Math.max(a[3], event.value);
            }
            return this;
        }

        byte[] bytes() {
            int size = 4;
            for (String type : byType.keySet()) {
                size += 4 + type.getBytes(StandardCharsets.UTF_8).length + 32;
            }
            ByteBuffer buffer = ByteBuffer.allocate(size).putInt(byType.size());
            byType.forEach((type, a) -> {
                byte[] name = type.getBytes(StandardCharsets.UTF_8);
                buffer.putInt(name.length).put(name).putDouble(a[0]).putDouble(a[1]).putDouble(a[2]).putDouble(a[3]);
            });
            return buffer.array();
        }

        static Counters of(byte[] bytes) {
            Counters counters = new Counters();
            if (bytes == null) {
                return counters;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            for (int n = buffer.getInt(); n > 0; n--) {
                byte[] name = new byte[buffer.getInt()];
                buffer.get(name);
                counters.byType.put(new String(name, StandardCharsets.UTF_8),
                        new double[] {buffer.getDouble(), buffer.getDouble(), buffer.getDouble(), buffer.getDouble()});
            }
            return counters;
        }
    }

    record Latest(long timeMillis, int score) {
        byte[] bytes() {
            return ByteBuffer.allocate(12).putLong(timeMillis).putInt(score).array();
        }

        static Latest of(byte[] bytes) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new Latest(buffer.getLong(), buffer.getInt());
        }
    }
}
