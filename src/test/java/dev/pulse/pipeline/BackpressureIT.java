package dev.pulse.pipeline;

import static dev.pulse.support.EventBodies.score;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.config.KafkaProperties;
import dev.pulse.config.StreamProperties;
import dev.pulse.ingest.kafka.EventLogReceiver;
import dev.pulse.ingest.kafka.LogEndOffsets;
import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import dev.pulse.support.TestBroker;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * SPEC §4 backpressure, issue 5 item 6: while PostgreSQL does not answer the pipeline, the receiver stops
 * reading and the heap stays flat; once it answers again every event is processed exactly once.
 *
 * <p>The database is "down" for the pipeline only: a session of the test holds
 * {@code LOCK TABLE stream_checkpoints IN EXCLUSIVE MODE} in an open transaction. Every checkpoint
 * transaction begins with {@code SELECT ... FOR UPDATE} on that table (the fencing check), so each lane's
 * next checkpoint waits; plain reads (the REST API, health, this test) still work, which ACCESS EXCLUSIVE
 * would not allow.
 */
class BackpressureIT extends PulseIT {

    private static final int FAMILIES = 300;
    private static final int EVENTS = 100_000;

    @Autowired
    EventPipeline pipeline;
    @Autowired
    EventLogReceiver receiver;
    @Autowired
    LogEndOffsets logEnd;
    @Autowired
    KafkaProperties kafka;
    @Autowired
    StreamProperties stream;
    @Autowired
    Environment environment;

    @Test
    void shouldStopConsumingWithFlatHeapWhileCheckpointsAreBlockedAndProcessEveryEventOnceAfterwards() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> families = new ArrayList<>();
        for (int i = 0; i < FAMILIES; i++) {
            families.add("backpressure-" + run + "-" + i);
        }
        awaitQuiet();
        Totals before = totals();

        long consumed;
        long heapGrowth;
        long backlogBytes;
        try (Connection blocker = blockCheckpoints()) {
            try {
                long positionBefore = sum(receiver.positions().block(Duration.ofSeconds(10)));
                long heapBefore = usedHeapAfterGc();

                backlogBytes = produce(families);
                long positionAfter = sum(settledPositions());
                long heapAfter = usedHeapAfterGc();
                consumed = positionAfter - positionBefore;
                heapGrowth = heapAfter - heapBefore;
                System.out.printf("backpressure: produced %,d events while checkpoints were blocked; the consumer read %,d of them"
                                + " (%,d in flight in the pipeline); used heap after GC %,d -> %,d bytes (%+,d); a buffered backlog"
                                + " of all of them would hold at least %,d bytes%n", EVENTS, consumed, pipeline.recordsInFlight(),
                        heapBefore, heapAfter, heapGrowth, backlogBytes);

                // (1) Consumption stops: the gate holds exactly its limit, and beyond it the receiver holds at most
                // about two polls (one queued in Reactor Kafka's publishOn, one being handed out) plus one in a race.
                assertThat(pipeline.recordsInFlight()).as("records taken and not checkpointed")
                        .isEqualTo(stream.maxInFlightEvents());
                assertThat(consumed).as("records the consumer read while checkpoints were blocked")
                        .isGreaterThanOrEqualTo(stream.maxInFlightEvents())
                        .isLessThanOrEqualTo(stream.maxInFlightEvents() + 3L * kafka.maxPollRecords())
                        .isLessThan(EVENTS / 5);
                // (2) Heap stays flat. backlogBytes is a floor on what holding every produced record would cost (each
                // record's key and value arrays and its LogRecord, decoding not counted); what the pipeline may hold
                // is about an eighth of that, plus the consumer's fetch buffer (at most 1 MiB per paused partition).
                // Half of the floor leaves room for GC noise and still fails clearly if the backlog were buffered.
                assertThat(heapGrowth).as("growth of used heap after GC while %,d events waited", EVENTS)
                        .isLessThan(backlogBytes / 2);
            } finally {
                blocker.rollback();
            }
        }

        // (3) Nothing lost, nothing doubled.
        Totals after = Poll.until(Duration.ofSeconds(360), "all " + EVENTS + " events checkpointed", () -> {
            Totals now = totals();
            return now.processed() - before.processed() >= EVENTS ? now : null;
        });
        assertThat(after.processed() - before.processed()).as("events_processed_total grew by").isEqualTo(EVENTS);
        assertThat(after.duplicates() - before.duplicates()).as("duplicates_dropped grew by").isZero();
        assertThat(after.deadLettered() - before.deadLettered()).as("dead_lettered grew by").isZero();
        for (int i = 0; i < FAMILIES; i++) {
            String family = families.get(i);
            int expected = EVENTS / FAMILIES + (i < EVENTS % FAMILIES ? 1 : 0);
            Map<String, Object> row = familyOrNull(family);
            assertThat(row).as("GET /api/families/" + family).isNotNull();
            assertThat(row.get("events_processed")).as("events_processed of " + family).isEqualTo(expected);
        }
        assertThat(pipeline.currentFailure()).isEmpty();
    }

    /** Waits until the consumer has read the whole log and the pipeline has checkpointed everything it read. */
    private void awaitQuiet() {
        Poll.until(Duration.ofSeconds(60), "the pipeline to be quiet", () -> {
            Map<Integer, Long> positions = receiver.positions().block(Duration.ofSeconds(10));
            Map<Integer, Long> ends = new HashMap<>();
            logEnd.ranges().block(Duration.ofSeconds(10)).forEach((partition, range) -> ends.put(partition, range.next()));
            return positions.size() == TestBroker.PARTITIONS && positions.equals(ends) && pipeline.recordsInFlight() == 0
                    ? positions : null;
        });
    }

    /**
     * The consumer's positions once they have not moved for two seconds: the consumer is paused, not merely
     * slow. Fails if they never stop.
     */
    private Map<Integer, Long> settledPositions() {
        long[] since = {System.nanoTime()};
        @SuppressWarnings("unchecked")
        Map<Integer, Long>[] last = new Map[] {Map.of()};
        return Poll.until(Duration.ofSeconds(60), "the consumer to stop reading", () -> {
            Map<Integer, Long> now = receiver.positions().block(Duration.ofSeconds(10));
            if (!now.equals(last[0])) {
                last[0] = now;
                since[0] = System.nanoTime();
                return null;
            }
            return System.nanoTime() - since[0] >= Duration.ofSeconds(2).toNanos() ? now : null;
        });
    }

    /**
     * Holds an EXCLUSIVE lock on {@code stream_checkpoints} in an open transaction until the connection rolls
     * back or closes. The timeouts keep a failed or hung test from holding the lock over the rest of the suite.
     */
    private Connection blockCheckpoints() throws SQLException {
        Connection connection = DriverManager.getConnection(environment.getRequiredProperty("spring.flyway.url"),
                environment.getRequiredProperty("spring.flyway.user"), environment.getRequiredProperty("spring.flyway.password"));
        try (Statement statement = connection.createStatement()) {
            statement.execute("set lock_timeout = '10s'");
            statement.execute("set statement_timeout = '30s'");
            statement.execute("set idle_in_transaction_session_timeout = '120s'");
            connection.setAutoCommit(false);
            statement.execute("lock table stream_checkpoints in exclusive mode");
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /**
     * Writes the events straight to the topic (ingest needs only Kafka), round robin over the families, and answers the floor of what
     * buffering all of them would cost: per record its value and key arrays (16-byte header, 8-byte aligned),
     * the key's String (24) and the LogRecord (48), on a 64-bit JVM with compressed pointers.
     */
    private long produce(List<String> families) {
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        long bytes = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 262_144))) {
            for (int i = 0; i < EVENTS; i++) {
                String family = families.get(i % families.size());
                // A steady score matches no rule: detections with ever-growing matched sets would make the
                // catch-up measure the rules, not the pipeline.
                byte[] value = score("backpressure-" + i + "-" + UUID.randomUUID(), family, base.plusMillis(i).toString(), 70)
                        .getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(TOPIC, family, value));
                bytes += aligned(16 + value.length) + aligned(16 + family.length()) + 24 + 48;
            }
            producer.flush();
        }
        return bytes;
    }

    private static long aligned(long bytes) {
        return (bytes + 7) / 8 * 8;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long sum(Map<Integer, Long> positions) {
        assertThat(positions).as("the consumer's positions").hasSize(TestBroker.PARTITIONS);
        return positions.values().stream().mapToLong(Long::longValue).sum();
    }

    private Totals totals() {
        return db.sql("""
                        select coalesce(sum(events_processed_total), 0) as processed, coalesce(sum(duplicates_dropped), 0) as duplicates,
                               coalesce(sum(dead_lettered), 0) as dead_lettered
                          from stream_checkpoints where consumer_group = $1 and topic = $2""")
                .bind(0, kafka.groupId()).bind(1, kafka.topic())
                .map(row -> new Totals(row.get("processed", Long.class), row.get("duplicates", Long.class),
                        row.get("dead_lettered", Long.class)))
                .one().block(Duration.ofSeconds(10));
    }

    private record Totals(long processed, long duplicates, long deadLettered) {
    }
}
