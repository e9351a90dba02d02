package dev.pulse.bench;

import java.util.Random;

/**
 * What a read that misses the CPU's caches costs on this machine: a chase through a shuffled cycle of 64-byte lines
 * (each load's address is the previous load's value, so no two overlap), for arrays from 1 MiB to 512 MiB. The
 * engine's family state at 10,000 families spans about 110 MB of heap; its reads cost what the large arrays show
 * (docs/performance.md, eleventh session).
 * <p>
 * {@code java -Xmx2g -XX:+UseTransparentHugePages -cp target/test-classes dev.pulse.bench.MemoryLatencyRun}
 */
public final class MemoryLatencyRun {

    private static final int INTS_PER_LINE = 16;
    private static final long STEPS = 20_000_000L;

    private MemoryLatencyRun() {
    }

    public static void main(String[] args) {
        for (int mib : new int[] {1, 8, 32, 128, 512}) {
            int lines = mib * 1024 * 1024 / 4 / INTS_PER_LINE;
            int[] next = cycle(lines, new Random(1));
            int at = 0;
            for (int i = 0; i < 2_000_000; i++) {
                at = next[at]; // warm-up: the pages touched, the code compiled
            }
            long start = System.nanoTime();
            for (long i = 0; i < STEPS; i++) {
                at = next[at];
            }
            long elapsed = System.nanoTime() - start;
            System.out.printf("%4d MiB: %6.1f ns per dependent load (end %d)%n", mib, (double) elapsed / STEPS, at);
        }
    }

    /** One random cycle through every line: the first int of each line holds the index of the next line's. */
    private static int[] cycle(int lines, Random random) {
        int[] order = new int[lines];
        for (int i = 0; i < lines; i++) {
            order[i] = i;
        }
        for (int i = lines - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] next = new int[lines * INTS_PER_LINE];
        for (int i = 0; i < lines; i++) {
            next[order[i] * INTS_PER_LINE] = order[(i + 1) % lines] * INTS_PER_LINE;
        }
        return next;
    }
}
