package dev.pulse.push.hub;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The server is stopping (SIGTERM): long-lived client connections end on purpose and say so, a WebSocket with a
 * going-away close frame (1001), an SSE stream with a final comment, so clients reconnect (to another instance, or
 * to this one once it is back) instead of taking the cut for a network fault. Announced once the pipeline has
 * committed its last checkpoint, so what that checkpoint pushed has been sent first.
 */
public final class GoingAway {

    private final Sinks.Empty<Void> signal = Sinks.empty();

    /** Ends every stream taken through {@link #until}; idempotent. */
    public void announce() {
        signal.tryEmitEmpty();
    }

    /** {@code stream} until the server goes away; then it completes. */
    public <T> Flux<T> until(Flux<T> stream) {
        return stream.takeUntilOther(signal.asMono());
    }
}
