package dev.pulse.stream.window;

/**
 * The aligned windows of one spec, shared by every family of a partition: at a moment most families'
 * open rows fall in the same few windows, so a row's key reuses that window (and its two instants)
 * instead of building its own. Direct-mapped by start, so a lookup is one array read; a miss only
 * builds the window as before. Windows are values, so sharing one changes no result.
 */
final class WindowCache {

    private static final int SIZE = 256;

    private final long sizeMs;
    private final Window[] windows = new Window[SIZE];
    private final long[] starts = new long[SIZE];

    WindowCache(long sizeMs) {
        this.sizeMs = sizeMs;
    }

    /** The window {@code [startMs, startMs + size)}. */
    Window of(long startMs) {
        int i = (int) (Long.hashCode(startMs / sizeMs) & (SIZE - 1));
        Window cached = windows[i];
        if (cached != null && starts[i] == startMs) {
            return cached;
        }
        Window window = Window.ofMillis(startMs, startMs + sizeMs);
        windows[i] = window;
        starts[i] = startMs;
        return window;
    }
}
