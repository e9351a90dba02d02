package dev.pulse.bench;

import dev.pulse.engine.EngineSettings;
import dev.pulse.engine.PartitionEngine;
import dev.pulse.event.Event;
import java.lang.management.ManagementFactory;
import java.time.InstantSource;
import java.util.List;

/**
 * Heap a partition engine holds per family (issue 7): {@link BenchEvents}' stream of {@code families} families with
 * about {@code eventsPerFamily} events each, applied in {@link EngineBenchmark#BATCH}-event batches, then the used
 * heap after full collections. The events stay referenced by the input list throughout, so the engine's figure is
 * what it holds beyond the events themselves; the events' own cost is printed apart. Run with a fixed heap so the
 * collector's sizing does not move the figures, and keep the JVM alive ({@code pause}) to take a histogram of it:
 * <p>
 * {@code java -Xms4g -Xmx4g -cp target/test-classes:target/classes:$(cat target/bench.classpath)
 * dev.pulse.bench.FamilyMemory [families=100000] [eventsPerFamily=2] [pause]}, then
 * {@code jcmd <pid> GC.class_histogram} while it pauses. {@code -Dpulse.bench.risk=true} scores with the shipped risk
 * model, as a running Pulse does (see {@link EngineCpuRun}).
 */
public final class FamilyMemory {

    private FamilyMemory() {
    }

    public static void main(String[] args) throws Exception {
        int families = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int perFamily = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        boolean pause = args.length > 2 && args[2].equals("pause");
        long empty = usedAfterGc();
        List<Event> all = BenchEvents.generate(families * perFamily, families);
        long withEvents = usedAfterGc();
        EngineSettings settings = EngineSettings.defaults();
        if (Boolean.getBoolean("pulse.bench.risk")) {
            settings = settings.withRisk(dev.pulse.config.ShippedRiskModel.get());
        }
        PartitionEngine engine = PartitionEngine.fresh(settings, InstantSource.system());
        long sink = 0;
        for (int i = 0; i < all.size(); i += EngineBenchmark.BATCH) {
            sink += engine.apply(all.subList(i, Math.min(all.size(), i + EngineBenchmark.BATCH))).metrics().size();
        }
        long withEngine = usedAfterGc();
        int held = engine.familyIds().size();
        System.out.printf("families %d (held %d), events %d, sink %d%n", families, held, all.size(), sink);
        System.out.printf("engine: %.0f B/family (excluding the events), events: %.0f B/family%n",
                (double) (withEngine - withEvents) / held, (double) (withEvents - empty) / held);
        if (pause) {
            System.out.println("pid " + ProcessHandle.current().pid() + ": press enter to exit");
            System.in.read();
        }
        // Keeps both alive up to here, so that neither is collected before the last measurement.
        System.out.println(engine.watermark() + " " + all.size());
    }

    private static long usedAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
