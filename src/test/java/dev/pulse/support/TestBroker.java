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
}
