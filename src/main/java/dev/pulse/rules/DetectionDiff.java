package dev.pulse.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What a candidate rule set would change against a baseline over the same stream (SPEC §4.1 backtest), compared
 * by detection id, which is (pattern, family, anchor) and so the same in both runs for the same finding:
 * {@code added} only the candidate produced, {@code removed} only the baseline did, {@code unchanged} both did
 * (the candidate's copy; its figures may differ, e.g. a longer matched set). Lists are sorted by pattern, detection
 * time, then id, so the answer is deterministic.
 */
public record DetectionDiff(List<Detection> added, List<Detection> removed, List<Detection> unchanged) {

    private static final Comparator<Detection> ORDER = Comparator.comparing(Detection::pattern)
            .thenComparing(Detection::detectedAt).thenComparing(Detection::detectionId);

    public DetectionDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        unchanged = List.copyOf(unchanged);
    }

    /** Added, removed and unchanged counts of one pattern. */
    public record Counts(int added, int removed, int unchanged) {
    }

    public static DetectionDiff of(Collection<Detection> baseline, Collection<Detection> candidate) {
        Map<String, Detection> before = byId(baseline);
        Map<String, Detection> after = byId(candidate);
        List<Detection> added = new ArrayList<>();
        List<Detection> unchanged = new ArrayList<>();
        for (Detection d : after.values()) {
            (before.containsKey(d.detectionId()) ? unchanged : added).add(d);
        }
        List<Detection> removed = before.values().stream().filter(d -> !after.containsKey(d.detectionId())).toList();
        added.sort(ORDER);
        unchanged.sort(ORDER);
        return new DetectionDiff(added, removed.stream().sorted(ORDER).toList(), unchanged);
    }

    /** Counts per pattern, patterns in name order; a pattern appears when any of its lists is non-empty. */
    public Map<String, Counts> countsByPattern() {
        Map<String, int[]> counts = new TreeMap<>();
        added.forEach(d -> counts.computeIfAbsent(d.pattern(), p -> new int[3])[0]++);
        removed.forEach(d -> counts.computeIfAbsent(d.pattern(), p -> new int[3])[1]++);
        unchanged.forEach(d -> counts.computeIfAbsent(d.pattern(), p -> new int[3])[2]++);
        Map<String, Counts> out = new LinkedHashMap<>();
        counts.forEach((pattern, c) -> out.put(pattern, new Counts(c[0], c[1], c[2])));
        return out;
    }

    private static Map<String, Detection> byId(Collection<Detection> detections) {
        Map<String, Detection> m = new LinkedHashMap<>();
        detections.forEach(d -> m.put(d.detectionId(), d));
        return m;
    }

    /**
     * The detections active at the end of a run: a stream of changes folded by id (emitted and updated ones
     * replace, retracted ones leave, SPEC §7), keeping only those {@code counted} admits. Mutable, single-threaded.
     */
    public static final class Active {
        private final Map<String, Detection> byId = new LinkedHashMap<>();
        private final Predicate<Detection> counted;

        public Active(Predicate<Detection> counted) {
            this.counted = counted;
        }

        public void apply(List<DetectionChange> changes) {
            for (DetectionChange change : changes) {
                Detection d = change.detection();
                if (change instanceof DetectionChange.Retracted) {
                    byId.remove(d.detectionId());
                } else if (counted.test(d)) {
                    byId.put(d.detectionId(), d);
                }
            }
        }

        public Collection<Detection> detections() {
            return byId.values();
        }
    }
}
