package dev.pulse.support;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition against a deadline (CONVENTIONS §4: no sleeps as synchronisation). */
public final class Poll {

    private Poll() {
    }

    /** Answers the first value that {@code probe} returns non-null within {@code timeout}, or fails with {@code what}. */
    public static <T> T until(Duration timeout, String what, Supplier<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = probe.get();
                if (value != null) {
                    return value;
                }
            } catch (RuntimeException | AssertionError e) {
                last = e;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what, last);
    }
}
