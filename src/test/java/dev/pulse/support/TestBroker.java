package dev.pulse.support;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real in-process KRaft broker for the whole test JVM (STACK.md), started on first use and
 * stopped when the JVM exits. Topics are created by Pulse itself at start-up, as in production.
 */
public final class TestBroker {

    public static final int PARTITIONS = 3;
    private static EmbeddedKafkaKraftBroker broker;

    private TestBroker() {
    }

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
            started.brokerProperty("group.initial.rebalance.delay.ms", "0");
            started.afterPropertiesSet();
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "test-broker-shutdown"));
            broker = started;
        }
        return broker.getBrokersAsString();
    }

    /**
     * One family id per partition of a test topic ({@code prefix-0}, {@code prefix-7}, ...), as the producer's default
     * partitioner places record keys: events for all of them reach every partition (e.g. to move every watermark).
     */
    public static java.util.List<String> familyOnEachPartition(String prefix) {
        String[] found = new String[PARTITIONS];
        for (int i = 0, missing = PARTITIONS; missing > 0; i++) {
            String family = prefix + "-" + i;
            int partition = partitionOf(family, PARTITIONS);
            if (found[partition] == null) {
                found[partition] = family;
                missing--;
            }
        }
        return java.util.List.of(found);
    }

    /** The partition Kafka's default partitioner gives a record keyed by {@code family}, as every producer keys them. */
    public static int partitionOf(String family, int partitions) {
        return org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2(family.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
    }
}
