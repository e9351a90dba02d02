package dev.pulse.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.support.EventBodies;
import dev.pulse.support.TestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * A rebuild from an instant (SPEC §4.1, {@code pulse.replay.from=<instant>}): a live Pulse process has processed
 * an older and a newer part of a log (their records stamped two hours and one hour ago); a replay from between the
 * two rebuilds the projections from the newer part only and switches over, also when a partition has no record
 * after the instant; the live process, fenced, restores from the rebuilt tables and goes on with the log.
 * Real processes on the in-process broker, in database {@code pulse_test_replay}, as {@link ReplayIT}.
 */
class ReplayFromInstantIT {

    private static final int FAMILIES = 30;
    /** The partition that gets no record of the newer part: it is caught up the moment the replay claims it. */
    private static final int QUIET_PARTITION = 2;

    @Test
    void shouldRebuildOnlyFromTheRecordsAtOrAfterTheInstantAndSwitchOverWithAPartitionThatHasNoneOfThem() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "replay-instant-" + run;
        String dlq = topic + "-dlq";
        String group = "replay-instant-" + run;
        CrashRecoveryIT.createTopics(topic, dlq);
        CrashRecoveryIT.reset(ReplayIT.DATABASE);
        ReplayIT.dropReplaySchemas();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant olderStamp = now.minus(Duration.ofHours(2));
        Instant newerStamp = now.minus(Duration.ofHours(1));
        Instant from = now.minus(Duration.ofMinutes(90));

        List<String> families = new ArrayList<>();
        for (int i = 0; i < FAMILIES; i++) {
            families.add("instant-" + run + "-f" + i);
        }
        List<String> busy = families.stream().filter(f -> partitionOf(f) != QUIET_PARTITION).toList();
        assertThat(busy).as("families outside the quiet partition").isNotEmpty().hasSizeLessThan(FAMILIES);
        Instant eventTime = now.minus(Duration.ofDays(2));
        List<Event> older = events("older", families, 300, eventTime);
        List<Event> newer = events("newer", busy, 200, eventTime.plus(Duration.ofHours(6)));
        List<Event> later = events("later", families, 90, eventTime.plus(Duration.ofHours(12)));

        int port = dev.pulse.support.PulseServer.freePort();
        try (PulseProcess live = PulseProcess.start("replay-instant-live-" + run, ReplayIT.databaseEnv(),
                ReplayIT.properties(port, topic, dlq, group, group + "-live"))) {
            ReplayIT.awaitHealthy(live, port);
            Map<Integer, Long> olderEnds = produce(topic, older, olderStamp);
            Map<Integer, Long> ends = new HashMap<>(olderEnds);
            ends.putAll(produce(topic, newer, newerStamp));
            ReplayIT.Poll.await(live, "the live instance caught up with both parts", () -> ReplayIT.caughtUp(group, ends));
            assertThat(total(group)).as("the live instance processed both parts").isEqualTo(older.size() + newer.size());

            try (PulseProcess replay = PulseProcess.start("replay-instant-rebuild-" + run, ReplayIT.databaseEnv(),
                    Stream.concat(ReplayIT.properties(0, topic, dlq, group, group + "-rebuild").stream(),
                            Stream.of("pulse.replay.from=" + from, "pulse.replay.poll=200ms")).toList())) {
                Integer exit = replay.awaitExit(ReplayIT.TIMEOUT);
                assertThat(exit).as("the replay switches over and exits; see %s", replay.log().toAbsolutePath()).isEqualTo(0);
                assertThat(Files.readString(replay.log())).contains("replay: switched over at offsets");
            }

            assertThat(total(group)).as("events counted by the rebuild: the newer part only").isEqualTo(newer.size());
            assertThat(ReplayIT.single("select count(*) from processed_events")).isEqualTo(newer.size());
            assertThat(perFamily()).as("events per family after the rebuild").isEqualTo(counts(newer));
            assertThat(ReplayIT.single("select last_offset + 1 from stream_checkpoints where consumer_group = '" + group
                    + "' and kafka_partition = " + QUIET_PARTITION))
                    .as("the quiet partition stands where the older part ended").isEqualTo(olderEnds.get(QUIET_PARTITION));

            // Fenced by the switch, the live instance restores from the rebuilt tables and goes on from there.
            Map<Integer, Long> laterEnds = produce(topic, later, now);
            ReplayIT.Poll.await(live, "the live instance caught up with the later part", () -> ReplayIT.caughtUp(group, laterEnds));
            assertThat(Files.readString(live.log())).contains("checkpoint refused and rolled back");
            List<Event> kept = new ArrayList<>(newer);
            kept.addAll(later);
            assertThat(total(group)).isEqualTo(kept.size());
            assertThat(perFamily()).as("events per family after the rebuild and the later part").isEqualTo(counts(kept));
        }
    }

    private record Event(String family, String body) {
    }

    /** {@code count} logins spread over {@code families} in turn, a second apart from {@code start}, distinct ids. */
    private static List<Event> events(String part, List<String> families, int count, Instant start) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String family = families.get(i % families.size());
            out.add(new Event(family, EventBodies.login(part + "-" + i, family, start.plusSeconds(i).toString())));
        }
        return out;
    }

    private static Map<String, Long> counts(List<Event> events) {
        Map<String, Long> out = new HashMap<>();
        events.forEach(e -> out.merge(e.family(), 1L, Long::sum));
        return out;
    }

    /** The partition Kafka's default partitioner gives a key. */
    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % TestBroker.PARTITIONS;
    }

    /** Produces the events keyed by family with {@code stamp} as every record's Kafka timestamp; answers the end offsets. */
    private static Map<Integer, Long> produce(String topic, List<Event> events, Instant stamp) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all");
        Map<Integer, Long> ends = new HashMap<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Event e : events) {
                sent.add(producer.send(new ProducerRecord<>(topic, null, stamp.toEpochMilli(), e.family(), e.body())));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata m = f.get();
                ends.merge(m.partition(), m.offset() + 1, Math::max);
            }
        }
        return ends;
    }

    private static long total(String group) throws Exception {
        return ReplayIT.single("select coalesce(sum(events_processed_total), 0) from stream_checkpoints where consumer_group = '"
                + group + "'");
    }

    private static Map<String, Long> perFamily() throws Exception {
        Map<String, Long> out = new HashMap<>();
        for (String row : ReplayIT.rows("select family_id, events_processed from realtime_family_metrics")) {
            String[] parts = row.split(" \\| ");
            out.put(parts[0], Long.parseLong(parts[1]));
        }
        return out;
    }
}
