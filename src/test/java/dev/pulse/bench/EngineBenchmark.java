package dev.pulse.bench;

import dev.pulse.engine.EngineSettings;
import dev.pulse.engine.PartitionEngine;
import dev.pulse.event.Event;
import java.util.ArrayList;
import java.util.List;
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
// The JVM flags scripts/run and the Dockerfile start Pulse with (scripts/lib/common.sh, pulse_jvm_flags): the heap in
// huge pages, and G1's card refinement in its pauses, which JDKs after 19 no longer have flags for (ignored there).
@Fork(value = 1, jvmArgs = {"-Xmx2g", "-XX:+UseTransparentHugePages", "-XX:+IgnoreUnrecognizedVMOptions",
        "-XX:-G1UseAdaptiveConcRefinement", "-XX:G1ConcRefinementGreenZone=200000", "-XX:G1ConcRefinementYellowZone=300000",
        "-XX:G1ConcRefinementRedZone=400000"})
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
        List<Event> all = BenchEvents.generate(EVENTS, families);
        batches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += BATCH) {
            batches.add(all.subList(i, Math.min(all.size(), i + BATCH)));
        }
    }

    @Setup(Level.Iteration)
    public void engine() {
        EngineSettings settings = EngineSettings.defaults();
        if (counters.equals("none")) {
            settings = settings.withWindows(List.of());
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
