package dev.pulse.bench;

import dev.pulse.engine.EngineSettings;
import dev.pulse.engine.PartitionEngine;
import dev.pulse.event.Event;
import dev.pulse.event.EventValidator;
import dev.pulse.event.Validated;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the pure operator core: one partition engine fed micro-batches of 5,000 distinct events
 * over {@code families} families (a realistic mix: scores, logins, payments, e-mails), one event per
 * family every few minutes of event time. Figures are events per second on one core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class EngineBenchmark {

    static final int BATCH = 5_000;
    static final int EVENTS = 400_000;

    @Param({"10000"})
    int families;

    /** {@code default}: the counters of SPEC §3.2; {@code none}: no counters, to see what the rest costs. */
    @Param({"default"})
    String counters;

    private List<List<Event>> batches;
    private PartitionEngine engine;
    private int next;

    @Setup(Level.Trial)
    public void events() {
        EventValidator validator = new EventValidator();
        Random random = new Random(42);
        Instant t = Instant.parse("2026-10-01T00:00:00Z");
        // 10,000 families and one event every 60 ms of event time: each family sees an event every ~10 minutes.
        List<Event> all = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            t = t.plusMillis(60);
            String family = "family-" + random.nextInt(families);
            Map<String, Object> raw = new LinkedHashMap<>();
            raw.put("event_id", "e-" + i);
            raw.put("aggregate_id", family);
            raw.put("event_timestamp", t.minusMillis(random.nextInt(4000)).toString()); // out of order within 4 s
            int roll = random.nextInt(10);
            if (roll < 3) {
                raw.put("event_type", "EngagementScoreUpdated");
                raw.put("event_data", Map.of("new_score", 20L + random.nextInt(80)));
            } else if (roll < 5) {
                raw.put("event_type", "PaymentReceived");
                raw.put("event_data", Map.of("amount", BigDecimal.valueOf(1000 + random.nextInt(50_000), 2), "currency", "EUR"));
            } else if (roll < 8) {
                raw.put("event_type", "UserLogin");
            } else {
                raw.put("event_type", random.nextBoolean() ? "EmailOpened" : "EmailBounced");
            }
            all.add(((Validated.Valid) validator.validate(raw)).event());
        }
        batches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += BATCH) {
            batches.add(all.subList(i, Math.min(all.size(), i + BATCH)));
        }
    }

    @Setup(Level.Iteration)
    public void engine() {
        EngineSettings settings = EngineSettings.defaults();
        if (counters.equals("none")) {
            settings = new EngineSettings(settings.maxOutOfOrderness(), settings.idleAdvance(), settings.allowedLateness(),
                    settings.engagement(), settings.rules(), List.of(), settings.retention(), settings.risk());
        }
        engine = PartitionEngine.fresh(settings, java.time.InstantSource.system());
        next = 0;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object applyBatch() {
        if (next == batches.size()) {
            engine();   // the whole stream was applied: start a fresh engine (cost amortised over 80 batches)
        }
        return engine.apply(batches.get(next++));
    }

}
