package dev.pulse.bench;

import dev.pulse.engine.EngineSettings;
import dev.pulse.engine.PartitionEngine;
import dev.pulse.event.Event;
import dev.pulse.rules.CompiledRules;
import dev.pulse.rules.RuleSet;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the engine's parts cost, in and out of the CPU caches: the stream of {@link EngineScaleRun} (40 events per
 * family, the same work per event for any number of families) through the whole engine, without window counters,
 * without rules, and without either, at 500 families (their state fits in the caches) and at 10,000 (the benchmark's).
 * All eight run in turn in one JVM, round after round, so that the machine's drift hits them alike; printed is each
 * one's median thread CPU time per event over the rounds after the first. A part's cost is the difference its
 * absence makes; what the difference grows by from 500 to 10,000 families is the part's cache misses.
 * <p>
 * {@code java -Xms3g -Xmx3g -XX:+AlwaysPreTouch -cp target/test-classes:target/classes:$(cat target/bench.classpath)
 * dev.pulse.bench.EngineSplitRun [rounds=8]}
 */
public final class EngineSplitRun {

    private static final int[] FAMILIES = {500, 10_000};
    private static final String[] PARTS = {"whole engine", "no counters", "no rules", "neither"};

    private EngineSplitRun() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        Map<Integer, List<Event>> streams = new HashMap<>();
        for (int families : FAMILIES) {
            streams.put(families, EngineScaleRun.stream(families));
        }
        var bean = ManagementFactory.getThreadMXBean();
        Map<String, List<Double>> runs = new TreeMap<>();
        for (int round = 0; round < rounds; round++) {
            for (int families : FAMILIES) {
                for (String part : PARTS) {
                    EngineSettings settings = settings(part);
                    List<Event> events = streams.get(families);
                    // The small stream is run 20 times per round, so that each figure rests on 400,000 events.
                    int repeats = 200_000 * 2 / events.size();
                    long cpu0 = bean.getCurrentThreadCpuTime();
                    for (int r = 0; r < repeats; r++) {
                        EngineScaleRun.apply(PartitionEngine.fresh(settings, java.time.InstantSource.system()), events, families);
                    }
                    double ns = (double) (bean.getCurrentThreadCpuTime() - cpu0) / ((double) events.size() * repeats);
                    if (round > 0) {
                        runs.computeIfAbsent(String.format("%6d families, %s", families, part), k -> new ArrayList<>()).add(ns);
                    }
                }
            }
            System.out.println("round " + round + " done");
        }
        runs.forEach((name, list) -> {
            Collections.sort(list);
            System.out.printf("%-32s median %5.0f ns/event  (%d rounds: %.0f–%.0f)%n", name, list.get(list.size() / 2),
                    list.size(), list.get(0), list.get(list.size() - 1));
        });
    }

    private static EngineSettings settings(String part) {
        EngineSettings defaults = EngineSettings.defaults();
        boolean rules = part.equals("whole engine") || part.equals("no counters");
        boolean counters = part.equals("whole engine") || part.equals("no rules");
        EngineSettings settings = counters ? defaults : defaults.withWindows(List.of());
        return rules ? settings : settings.withRules(CompiledRules.compile(new RuleSet("none", List.of())));
    }
}
