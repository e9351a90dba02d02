package dev.pulse.bench;

import dev.pulse.event.Event;
import dev.pulse.stream.time.Watermark;
import dev.pulse.stream.time.WatermarkTracker;
import dev.pulse.stream.window.CounterChanges;
import dev.pulse.stream.window.Outcome;
import dev.pulse.stream.window.WindowCounter;
import java.time.Duration;
import java.time.Instant;
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
 * The window counters alone, as the partition engine drives them: per event the tracker's watermark
 * (moving on almost every event) and the counter, per micro-batch of 5,000 events the batch's net
 * {@link CounterChanges} and the changed families. Default windows (tumbling 1m and 1h, session 30m),
 * {@code families} families, events built as {@link EngineBenchmark} builds them (out of order within
 * 4 s). Watermarks are computed in setup, so only the counters are measured. Figures are ns per event;
 * run with {@code -prof gc} for bytes per event ({@code gc.alloc.rate.norm} divided by nothing: it is
 * already per operation, and an operation is one event).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class WindowCounterBenchmark {

    static final int BATCH = EngineBenchmark.BATCH;
    static final int EVENTS = EngineBenchmark.EVENTS;

    @Param({"10000"})
    int families;

    private List<Event[]> batches;
    private List<Watermark[]> watermarks;
    private WindowCounter counter;
    private int next;

    @Setup(Level.Trial)
    public void events() {
        List<Event> all = BenchEvents.generate(EVENTS, families);
        // The engine's tracker, as PartitionEngine.apply runs it (5 s bound, no idle advance).
        WatermarkTracker tracker = new WatermarkTracker(Duration.ofSeconds(5), Duration.ZERO, () -> Instant.EPOCH);
        batches = new ArrayList<>();
        watermarks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += BATCH) {
            int to = Math.min(all.size(), from + BATCH);
            Event[] batch = all.subList(from, to).toArray(Event[]::new);
            Watermark[] marks = new Watermark[batch.length];
            for (int i = 0; i < batch.length; i++) {
                marks[i] = tracker.onEvent(batch[i].eventTimestamp());
            }
            batches.add(batch);
            watermarks.add(marks);
        }
    }

    @Setup(Level.Iteration)
    public void counter() {
        counter = WindowCounter.withDefaultWindows(Duration.ZERO);
        next = 0;
    }

    /** The engine's loop: count per event, the batch's net changes taken at its end. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object changesTakenPerBatch() {
        if (next == batches.size()) {
            counter(); // the whole stream was counted: start afresh (cost amortised over 80 batches)
        }
        Event[] batch = batches.get(next);
        Watermark[] marks = watermarks.get(next++);
        for (int i = 0; i < batch.length; i++) {
            counter.count(batch[i], marks[i]);
        }
        counter.advanceTo(marks[marks.length - 1]);
        CounterChanges changes = counter.takeChanges();
        return List.of(changes, counter.takeChangedFamilies());
    }

    /** The engine's former loop: outcomes per event, folded into the batch's net changes. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object outcomesFoldedPerBatch() {
        if (next == batches.size()) {
            counter(); // the whole stream was counted: start afresh (cost amortised over 80 batches)
        }
        Event[] batch = batches.get(next);
        Watermark[] marks = watermarks.get(next++);
        List<Outcome> counted = new ArrayList<>();
        for (int i = 0; i < batch.length; i++) {
            counted.addAll(counter.onEvent(batch[i], marks[i]));
        }
        counted.addAll(counter.onWatermark(marks[marks.length - 1]));
        CounterChanges changes = CounterChanges.of(counted);
        return List.of(changes, counter.takeChangedFamilies());
    }
}
