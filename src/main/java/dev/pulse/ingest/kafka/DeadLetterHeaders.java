package dev.pulse.ingest.kafka;

/** Header names of records in the dead-letter topic (SPEC §1.3). */
public final class DeadLetterHeaders {

    public static final String ERROR = "pulse.error";
    public static final String SOURCE_TOPIC = "pulse.source.topic";
    public static final String SOURCE_PARTITION = "pulse.source.partition";
    public static final String SOURCE_OFFSET = "pulse.source.offset";

    private DeadLetterHeaders() {
    }
}
