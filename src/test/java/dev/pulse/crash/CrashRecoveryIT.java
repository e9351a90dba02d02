package dev.pulse.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.pulse.support.TestBroker;
import dev.pulse.support.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SPEC §3.4, §4, issue 5: kill Pulse with SIGKILL at random moments, some of them inside a checkpoint
 * transaction, restart it, and at the end every projection row equals that of an uninterrupted run over
 * the same log, with no event lost or counted twice and no detection twice.
 * <p>
 * Both runs are real Pulse processes (separate JVMs) reading one preloaded topic of the in-process broker
 * with consumer groups of their own, each into a database of its own ({@code pulse_test_crash_a} and
 * {@code _b}, created by scripts/test and emptied here). Besides comparing the two runs, the test checks
 * totals computed from the generated events alone. The seed is printed; rerun one with
 * {@code -Dpulse.crash.seed=<seed>}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashRecoveryIT {

    private static final int EVENTS = 200_000;
    private static final int FAMILIES = 1_000;
    private static final int KILLS = 3;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);

    private static final String DB_UNINTERRUPTED = env("PULSE_CRASH_DB_A", "pulse_test_crash_a");
    private static final String DB_CRASHED = env("PULSE_CRASH_DB_B", "pulse_test_crash_b");
    private static final String DB_REBALANCED = env("PULSE_CRASH_DB_C", "pulse_test_crash_c");
    private static final String DB_TERMINATED = env("PULSE_CRASH_DB_D", "pulse_test_crash_d");

    private long seed;
    private CrashStream stream;
    private String run;
    private String topic;
    private Map<Integer, Long> endOffsets;
    /** The reference: one process that was never interrupted, over the same log. */
    private Run uninterrupted;

    @BeforeAll
    void uninterruptedRun() throws Exception {
        seed = Long.getLong("pulse.crash.seed", System.nanoTime());
        System.out.println("CrashRecoveryIT seed " + seed + " (rerun with -Dpulse.crash.seed=" + seed + ")");
        stream = new CrashStream(seed, EVENTS, FAMILIES);
        run = UUID.randomUUID().toString().substring(0, 8);
        topic = "crash-events-" + run;
        createTopics(topic, "crash-dlq-" + run);
        endOffsets = produce(topic, stream.records);
        reset(DB_UNINTERRUPTED);
        uninterrupted = new Run(DB_UNINTERRUPTED, "crash-a-" + run, topic, run);
        try (PulseProcess pulse = uninterrupted.start("uninterrupted")) {
            uninterrupted.awaitCaughtUp(pulse, endOffsets);
        }
        verifyTotals(uninterrupted);
        assertThat(uninterrupted.single("select count(*) from realtime_pattern_detections")).as("the log produces detections")
                .isPositive();
    }

    @Test
    void shouldEndWithTheProjectionsOfAnUninterruptedRunWhenKilledAtRandomMoments() throws Exception {
        reset(DB_CRASHED);
        Run crashed = new Run(DB_CRASHED, "crash-b-" + run, topic, run);
        Random moments = new Random(seed);
        int killedInTransaction = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            PulseProcess pulse = crashed.start("crashed-" + kill);
            long before = crashed.processed();
            crashed.awaitProgressBeyond(pulse, before, endOffsets);
            Thread.sleep(moments.nextInt(1_500));
            // Aim at a checkpoint in flight: wait briefly for one of its transactions to be open, then kill at once.
            boolean inTransaction = crashed.awaitOpenTransaction(Duration.ofSeconds(3));
            pulse.kill();
            killedInTransaction += inTransaction ? 1 : 0;
            System.out.printf("CrashRecoveryIT: SIGKILL %d after %d of %d events processed%s%n", kill, crashed.processed(),
                    stream.distinct, inTransaction ? ", a transaction open" : "");
            assertThat(crashed.caughtUp(endOffsets)).as("kill %d came after everything was processed; make the log longer", kill)
                    .isFalse();
        }
        try (PulseProcess pulse = crashed.start("crashed-final")) {
            crashed.awaitCaughtUp(pulse, endOffsets);
        }
        assertThat(killedInTransaction).as("at least one SIGKILL landed while a checkpoint transaction was open").isPositive();

        verifyTotals(crashed);
        assertSameProjections(crashed);
    }

    /**
     * Issue 8: SIGTERM while the log is being read at full speed. The stop drains (the checkpoint in flight commits,
     * nothing more is taken) and the process exits on its own; after a restart the projections equal the
     * uninterrupted run's.
     */
    @Test
    void shouldEndWithTheProjectionsOfAnUninterruptedRunWhenStoppedWithSigtermUnderLoad() throws Exception {
        reset(DB_TERMINATED);
        Run terminated = new Run(DB_TERMINATED, "crash-d-" + run, topic, run);
        PulseProcess pulse = terminated.start("terminated");
        try {
            terminated.awaitProgressBeyond(pulse, 0, endOffsets);
            Thread.sleep(new Random(seed).nextInt(1_500));
            assertThat(pulse.terminate(Duration.ofSeconds(60))).as("Pulse exits on SIGTERM by itself").isTrue();
        } finally {
            pulse.close();
        }
        System.out.printf("CrashRecoveryIT: SIGTERM after %d of %d events processed%n", terminated.processed(), stream.distinct);
        assertThat(terminated.caughtUp(endOffsets)).as("SIGTERM came after everything was processed; make the log longer")
                .isFalse();
        String log = java.nio.file.Files.readString(pulse.log());
        assertThat(log).as("the pipeline finished its checkpoint in flight instead of being cut")
                .contains("event pipeline draining").contains("event pipeline completed").doesNotContain("did not finish within");
        try (PulseProcess restarted = terminated.start("terminated-restarted")) {
            terminated.awaitCaughtUp(restarted, endOffsets);
        }
        verifyTotals(terminated);
        assertSameProjections(terminated);
    }

    /**
     * Issue 5's rebalance test: two instances share the group and split the partitions; one is killed
     * (its partitions go to the other once its session expires) and later starts again and rejoins. The
     * end is again the uninterrupted run, row for row.
     */
    @Test
    void shouldEndWithTheProjectionsOfAnUninterruptedRunWhenAnInstanceDiesAndRejoins() throws Exception {
        reset(DB_REBALANCED);
        Run shared = new Run(DB_REBALANCED, "crash-c-" + run, topic, run);
        try (PulseProcess first = shared.start("rebalance-first"); PulseProcess second = shared.start("rebalance-second")) {
            shared.awaitOwners(first, 2);
            long before = shared.processed();
            shared.awaitProgressBeyond(second, before, endOffsets);
            first.kill();
            System.out.printf("CrashRecoveryIT: SIGKILL one of two instances after %d records%n", shared.processed());
            assertThat(shared.caughtUp(endOffsets)).as("the kill came after everything was processed; make the log longer").isFalse();
            shared.awaitOwners(second, 1);
            try (PulseProcess rejoined = shared.start("rebalance-rejoined")) {
                shared.awaitOwners(rejoined, 2);
                shared.awaitCaughtUp(rejoined, endOffsets);
            }
        }
        verifyTotals(shared);
        assertSameProjections(shared);
    }

    /** Totals any correct run must have, computed from the generated events alone. */
    private void verifyTotals(Run result) throws SQLException {
        assertThat(result.single("select sum(events_processed_total) from stream_checkpoints where consumer_group = '"
                + result.group + "'")).as(result.database).isEqualTo(stream.distinct);
        assertThat(result.single("select sum(duplicates_dropped) from stream_checkpoints where consumer_group = '"
                + result.group + "'")).as(result.database).isEqualTo(stream.duplicates);
        assertThat(result.single("select sum(dead_lettered) from stream_checkpoints where consumer_group = '"
                + result.group + "'")).as(result.database).isEqualTo(stream.poison);
        assertThat(result.single("select count(*) from processed_events")).isEqualTo(stream.distinct);
        assertThat(result.longsByKey("select family_id, events_processed from realtime_family_metrics"))
                .as(result.database + ": events per family").isEqualTo(asLongs(stream.distinctPerFamily));
        assertThat(result.longsByKey("select family_id || '|' || event_type, sum(event_count) from realtime_event_counters"
                + " where window_type = 'tumbling' and window_size = '1m' group by 1"))
                .as(result.database + ": 1-minute counters per family and type").isEqualTo(asLongs(stream.distinctPerFamilyAndType));
        assertThat(result.single("select count(*) - count(distinct (pattern, family_id, anchor)) from realtime_pattern_detections"))
                .isZero();
    }

    /** Every projection row equal to the uninterrupted run's (wall-clock columns aside). */
    private void assertSameProjections(Run other) throws SQLException {
        for (String query : PROJECTIONS) {
            List<String> expected = uninterrupted.rows(query.replace("$group", uninterrupted.group));
            List<String> actual = other.rows(query.replace("$group", other.group));
            if (!actual.equals(expected)) {
                List<String> missing = new ArrayList<>(expected);
                missing.removeAll(actual);
                List<String> extra = new ArrayList<>(actual);
                extra.removeAll(expected);
                fail("seed %d: %s differs from the uninterrupted run: %d rows vs %d; first missing %s; first extra %s".formatted(
                        seed, query, actual.size(), expected.size(), first(missing), first(extra)));
            }
        }
    }

    /** Each projection as sorted text rows, without the columns that hold wall-clock time. */
    static final List<String> PROJECTIONS = List.of(
            "select family_id, kafka_partition, current_engagement_score, engagement_trend, engagement_change_7_days,"
                    + " engagement_7_day_avg, engagement_30_day_avg, events_last_7_days, logins_last_7_days,"
                    + " payments_last_7_days, alert_level, alert_rank, alert_reason, alert_since, events_processed,"
                    + " last_event_timestamp, as_of from realtime_family_metrics",
            "select family_id, window_type, window_size, event_type, window_start, window_end, event_count, sum_value,"
                    + " avg_value, min_value, max_value from realtime_event_counters",
            "select detection_id, pattern, family_id, anchor, severity, severity_rank, confidence, matched_events,"
                    + " details, status, rule_version, detected_at from realtime_pattern_detections",
            "select event_id, family_id, event_type, event_timestamp, window_type, window_size, window_start, window_end,"
                    + " watermark, kafka_partition, kafka_offset from late_events",
            "select event_id, kafka_partition, kafka_offset, event_timestamp from processed_events",
            "select kafka_partition, last_offset, last_event_id, last_event_timestamp, events_processed_total,"
                    + " duplicates_dropped, dead_lettered, late_events, stream_time, watermark, status"
                    + " from stream_checkpoints where consumer_group = '$group'");

    /** One Pulse deployment of the test: its database and consumer group; processes come and go. */
    private static final class Run {

        final String database;
        final String group;
        final String topic;
        final String run;
        private int started;

        Run(String database, String group, String topic, String run) {
            this.database = database;
            this.group = group;
            this.topic = topic;
            this.run = run;
        }

        String applicationName() {
            return "pulse-" + group;
        }

        PulseProcess start(String name) throws Exception {
            started++;
            return PulseProcess.start(name + "-" + run, Map.of("PULSE_DB_HOST", TestDatabase.HOST, "PULSE_DB_PORT", TestDatabase.PORT, "PULSE_DB_USER", TestDatabase.USER,
                            "PULSE_DB_PASSWORD", TestDatabase.PASSWORD, "PULSE_DB_NAME", database),
                    List.of("server.port=0",
                            "pulse.kafka.bootstrap-servers=" + TestBroker.bootstrapServers(),
                            "pulse.kafka.topic=" + topic,
                            "pulse.kafka.dlq-topic=crash-dlq-" + run,
                            "pulse.kafka.partitions=" + TestBroker.PARTITIONS,
                            "pulse.kafka.group-id=" + group,
                            "pulse.instance.id=" + group + "-" + started,
                            "pulse.stream.idle-advance=0s",
                            // a killed instance's partitions move on after 6 s, not Kafka's default 45 s
                            "pulse.kafka.session-timeout=6s",
                            "pulse.simulator.enabled=false",
                            "spring.r2dbc.properties.applicationName=" + applicationName()));
        }

        long processed() throws Exception {
            return tableExists("stream_checkpoints") ? single("select coalesce(sum(events_processed_total + duplicates_dropped + dead_lettered), 0)"
                    + " from stream_checkpoints where consumer_group = '" + group + "'") : 0;
        }

        private boolean tableExists(String table) throws SQLException {
            return single("select count(*) from pg_tables where schemaname = 'public' and tablename = '" + table + "'") > 0;
        }

        boolean caughtUp(Map<Integer, Long> endOffsets) throws SQLException {
            Map<String, Long> offsets = longsByKey("select kafka_partition::text, last_offset + 1 from stream_checkpoints"
                    + " where consumer_group = '" + group + "' and last_offset is not null");
            for (var end : endOffsets.entrySet()) {
                if (!end.getValue().equals(offsets.get(String.valueOf(end.getKey())))) {
                    return false;
                }
            }
            return true;
        }

        /** Waits until exactly {@code owners} instances hold this group's partitions (claims are written at assignment). */
        void awaitOwners(PulseProcess pulse, int owners) throws Exception {
            await(pulse, owners + " instances owning the partitions", () -> single("select count(distinct owner_instance)"
                    + " from stream_checkpoints where consumer_group = '" + group + "'") == owners
                    && single("select count(*) from stream_checkpoints where consumer_group = '" + group + "'") == TestBroker.PARTITIONS);
        }

        void awaitCaughtUp(PulseProcess pulse, Map<Integer, Long> endOffsets) throws Exception {
            await(pulse, "every partition committed up to its end offset", () -> caughtUp(endOffsets));
        }

        void awaitProgressBeyond(PulseProcess pulse, long before, Map<Integer, Long> endOffsets) throws Exception {
            await(pulse, "progress beyond " + before + " records", () -> processed() > before || caughtUp(endOffsets));
        }

        /** True once a transaction of this run's Pulse is open in PostgreSQL; false if none opened in time. */
        boolean awaitOpenTransaction(Duration timeout) throws Exception {
            Instant until = Instant.now().plus(timeout);
            while (Instant.now().isBefore(until)) {
                if (single("select count(*) from pg_stat_activity where application_name = '" + applicationName()
                        + "' and xact_start is not null and state <> 'idle'") > 0) {
                    return true;
                }
            }
            return false;
        }

        private interface Check {
            boolean holds() throws Exception;
        }

        private void await(PulseProcess pulse, String what, Check check) throws Exception {
            Instant until = Instant.now().plus(RUN_TIMEOUT);
            while (!holdsOnceMigrated(check)) {
                if (!pulse.isAlive()) {
                    fail("Pulse exited while waiting for " + what + "; see " + pulse.log().toAbsolutePath());
                }
                if (Instant.now().isAfter(until)) {
                    fail("timed out after " + RUN_TIMEOUT + " waiting for " + what + " in " + database + "; see "
                            + pulse.log().toAbsolutePath());
                }
                Thread.sleep(200);
            }
        }

        /** Until the process has run its migrations the tables do not exist: that is "not yet", not a failure. */
        private static boolean holdsOnceMigrated(Check check) throws Exception {
            try {
                return check.holds();
            } catch (SQLException e) {
                if ("42P01".equals(e.getSQLState())) { // undefined_table
                    return false;
                }
                throw e;
            }
        }

        long single(String sql) throws SQLException {
            try (Connection c = TestDatabase.connect(database); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
                r.next();
                return r.getLong(1);
            }
        }

        Map<String, Long> longsByKey(String sql) throws SQLException {
            Map<String, Long> out = new HashMap<>();
            try (Connection c = TestDatabase.connect(database); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
                while (r.next()) {
                    out.put(r.getString(1), r.getLong(2));
                }
            }
            return out;
        }

        List<String> rows(String sql) throws SQLException {
            return TestDatabase.rows(database, sql);
        }
    }

    static void createTopics(String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers()))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : names) {
                topics.add(new NewTopic(name, TestBroker.PARTITIONS, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
    }

    /** Produces every record in order and answers each partition's end offset. */
    static Map<Integer, Long> produce(String topic, List<CrashStream.Record> records) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        Map<Integer, Long> ends = new HashMap<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (CrashStream.Record record : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, record.key(), record.value())));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata m = f.get();
                ends.merge(m.partition(), m.offset() + 1, Math::max);
            }
        }
        return ends;
    }

    /** Empties a database Pulse will migrate afresh: its owner may drop and recreate the public schema. */
    static void reset(String database) throws SQLException {
        try (Connection c = TestDatabase.connect(database); Statement s = c.createStatement()) {
            s.execute("drop schema if exists public cascade");
            s.execute("create schema public");
        }
    }

    private static Map<String, Long> asLongs(Map<String, Integer> counts) {
        Map<String, Long> out = new HashMap<>();
        counts.forEach((k, v) -> out.put(k, v.longValue()));
        return out;
    }

    private static String first(List<String> rows) {
        return rows.isEmpty() ? "(none)" : rows.get(0);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
