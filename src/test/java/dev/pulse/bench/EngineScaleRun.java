package dev.pulse.bench;

import dev.pulse.engine.EngineSettings;
import dev.pulse.engine.PartitionEngine;
import dev.pulse.event.Event;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * How much of the engine's cost per event is its families' state falling out of the CPU caches: the same work per
 * event for any number of families, so that only the size of the state changes. Each family gets 40 events, one
 * every 10 minutes of event time on average (as in {@link EngineBenchmark} at 10,000 families), in batches of
 * half as many events as families; printed is this thread's CPU time per event, round by round.
 * <p>
 * {@code java -cp target/test-classes:target/classes:$(cat target/bench.classpath) dev.pulse.bench.EngineScaleRun
 * [families=500] [rounds=20]}
 */
public final class EngineScaleRun {

    private EngineScaleRun() {
    }

    /** 40 events per family, one per family every 10 minutes of event time on average. */
    static List<Event> stream(int families) {
        return BenchEvents.generate(40 * families, families, 600_000L / families);
    }

    /** Applies {@code events} in batches of half as many events as families; answers the metrics rows made. */
    static long apply(PartitionEngine engine, List<Event> events, int families) {
        int batch = Math.max(1, families / 2);
        long rows = 0;
        for (int i = 0; i < events.size(); i += batch) {
            rows += engine.apply(events.subList(i, Math.min(events.size(), i + batch))).metrics().size();
        }
        return rows;
    }

    public static void main(String[] args) {
        int families = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<Event> all = stream(families);
        var bean = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < rounds; r++) {
            PartitionEngine engine = PartitionEngine.fresh(EngineSettings.defaults(), java.time.InstantSource.system());
            long cpu0 = bean.getCurrentThreadCpuTime();
            long rows = apply(engine, all, families);
            long cpu = bean.getCurrentThreadCpuTime() - cpu0;
            System.out.printf("families %d, round %d: cpu %.0f ns/ev, %.3f metrics rows/ev%n", families, r,
                    (double) cpu / all.size(), (double) rows / all.size());
        }
    }
}
