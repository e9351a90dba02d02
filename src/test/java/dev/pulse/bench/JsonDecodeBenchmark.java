package dev.pulse.bench;

import dev.pulse.event.Event;
import dev.pulse.event.Validated;
import dev.pulse.ingest.EventJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What each record costs before the engine sees it (issue 7's JSON parsing benchmark): a Kafka record's value, as
 * {@code scripts/load} and the simulator write it, read and validated into an {@link Event} ({@link EventJson#decode}:
 * Jackson's parse, the field rules of SPEC §1, the upcasters). {@link EngineBenchmark}'s event mix, 10,000 records
 * per invocation. {@code scripts/bench-core JsonDecodeBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class JsonDecodeBenchmark {

    static final int RECORDS = 10_000;

    private final EventJson json = new EventJson();
    private List<byte[]> records;

    @Setup(Level.Trial)
    public void records() {
        records = new ArrayList<>(RECORDS);
        for (Event event : BenchEvents.generate(RECORDS, 1_000)) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("event_id", event.eventId());
            record.put("event_type", event.eventType());
            record.put("aggregate_id", event.aggregateId());
            record.put("event_timestamp", event.eventTimestamp().toString());
            record.put("schema_version", event.schemaVersion());
            record.put("event_data", event.eventData());
            records.add(json.write(record));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void decode(Blackhole sink) {
        for (byte[] record : records) {
            Validated validated = json.decode(record);
            if (!(validated instanceof Validated.Valid)) {
                throw new IllegalStateException("a generated record was refused: " + validated);
            }
            sink.consume(validated);
        }
    }
}
