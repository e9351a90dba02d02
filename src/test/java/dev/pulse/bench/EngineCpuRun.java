package dev.pulse.bench;

import dev.pulse.engine.EngineSettings;
import dev.pulse.engine.PartitionEngine;
import dev.pulse.event.Event;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link EngineBenchmark}'s stream through a fresh engine per round, measured by this thread's CPU time and
 * allocated bytes rather than by wall time: on a shared machine JMH's wall-clock figures swing by an order of
 * magnitude, while CPU time and allocation per event stay comparable between two builds. With {@code digest}
 * it prints a hash of every output instead (detection details sorted by key: their maps iterate in a per-JVM
 * order), so two builds can be shown to produce the same results.
 * <p>
 * {@code java -cp target/test-classes:target/classes:$(cat target/bench.classpath) dev.pulse.bench.EngineCpuRun
 * [families=10000] [default|none] [rounds=8] [digest]}; {@code -Dpulse.bench.risk=true} scores with the shipped risk
 * model, as a running Pulse does (so {@code risk_high} is judged too); {@code -Dpulse.bench.batch=N} cuts the stream
 * into batches of N events instead of the benchmark's 5,000 (500 and 50 cost the same per event: 4,259, 4,315 and
 * 4,349 ns in one alternating run, 2026-11-28).
 */
public final class EngineCpuRun {

    private EngineCpuRun() {
    }

    public static void main(String[] args) {
        int families = args.length > 0 ? Integer.parseInt(args[0]) : 10000;
        boolean none = args.length > 1 && args[1].equals("none");
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        List<Event> all = BenchEvents.generate(EngineBenchmark.EVENTS, families);
        List<List<Event>> batches = new ArrayList<>();
        int batch = Integer.getInteger("pulse.bench.batch", EngineBenchmark.BATCH);
        for (int i = 0; i < all.size(); i += batch) {
            batches.add(all.subList(i, Math.min(all.size(), i + batch)));
        }
        if (args.length > 3 && args[3].equals("digest")) {
            EngineSettings settings = withRisk(EngineSettings.defaults());
            PartitionEngine engine = PartitionEngine.fresh(settings, java.time.InstantSource.system());
            try {
                var md = java.security.MessageDigest.getInstance("SHA-256");
                for (List<Event> b : batches) {
                    var out = engine.apply(b);
                    StringBuilder text = new StringBuilder();
                    text.append(out.streamTime()).append(out.watermark()).append(out.metrics()).append(out.counters())
                            .append(out.lateEvents()).append(out.changedFamilies());
                    for (var change : out.detections()) {
                        var d = change.detection();
                        text.append(change.getClass().getSimpleName()).append(d.detectionId()).append(d.pattern())
                                .append(d.familyId()).append(d.anchor()).append(d.severity()).append(d.confidence())
                                .append(d.matchedEvents()).append(d.detectedAt()).append(new java.util.TreeMap<>(d.details()));
                    }
                    md.update(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    md.update(new java.util.TreeSet<>(out.changedFamilies()).toString().getBytes());
                }
                System.out.println("digest " + java.util.HexFormat.of().formatHex(md.digest()));
            } catch (Exception e) { throw new RuntimeException(e); }
            return;
        }
        var bean = ManagementFactory.getThreadMXBean();
        var mem = (com.sun.management.ThreadMXBean) bean;
        long tid = Thread.currentThread().getId();
        // The whole process's CPU time too: the collector's threads (G1's refinement, its pauses) are not this thread's.
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int r = 0; r < rounds; r++) {
            EngineSettings settings = withRisk(EngineSettings.defaults());
            if (none) {
                settings = settings.withWindows(List.of());
            }
            PartitionEngine engine = PartitionEngine.fresh(settings, java.time.InstantSource.system());
            long cpu0 = bean.getCurrentThreadCpuTime();
            long process0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            long mem0 = mem.getThreadAllocatedBytes(tid);
            long sink = 0;
            for (List<Event> b : batches) {
                sink += engine.apply(b).metrics().size();
            }
            long cpu = bean.getCurrentThreadCpuTime() - cpu0;
            long process = os.getProcessCpuTime() - process0;
            long wall = System.nanoTime() - wall0;
            long bytes = mem.getThreadAllocatedBytes(tid) - mem0;
            System.out.printf("round %d: cpu %.0f ns/ev (%.0f ev/s cpu), wall %.0f ns/ev, %.0f B/ev, sink %d, process cpu %.0f ns/ev%n",
                    r, (double) cpu / all.size(), all.size() * 1e9 / cpu, (double) wall / all.size(), (double) bytes / all.size(),
                    sink, (double) process / all.size());
        }
    }

    private static EngineSettings withRisk(EngineSettings settings) {
        return Boolean.getBoolean("pulse.bench.risk") ? settings.withRisk(dev.pulse.config.ShippedRiskModel.get()) : settings;
    }
}
