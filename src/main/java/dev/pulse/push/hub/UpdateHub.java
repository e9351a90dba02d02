package dev.pulse.push.hub;

import dev.pulse.projection.DetectionRow;
import dev.pulse.projection.FamilyMetricsRow;
import dev.pulse.trending.Trending;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The one fan-out point for committed updates (CONVENTIONS §3.4). Best effort toward each subscriber:
 * a subscriber without demand misses updates instead of slowing the pipeline or other clients, so
 * every subscriber must buffer (boundedly) on its own, and do its own work (encoding, writing) off the
 * publishing thread, which is the relay's one thread for every client. Rows are {@link Shared}, so a row's
 * JSON is encoded once whatever the number of clients.
 */
public final class UpdateHub {

    /** One committed update (changed families, or one detection change), or a call to resynchronise. */
    public sealed interface Update {
    }

    public record Metrics(List<Shared<FamilyMetricsRow>> families) implements Update {
        public Metrics {
            families = List.copyOf(families);
        }

        public static Metrics of(List<FamilyMetricsRow> rows) {
            return new Metrics(rows.stream().map(Shared::new).toList());
        }

        public List<FamilyMetricsRow> rows() {
            return families.stream().map(Shared::value).toList();
        }
    }

    public record DetectionUpdate(Shared<DetectionRow> detection) implements Update {
        public static DetectionUpdate of(DetectionRow row) {
            return new DetectionUpdate(new Shared<>(row));
        }
    }

    /** A trending window closed (SPEC §3.5); computed by every instance itself, never relayed. */
    public record TrendingUpdate(Shared<Trending> trending) implements Update {
    }

    /**
     * Updates may have been missed (the cross-instance channel was lost for a while): a client should
     * reload its whole picture rather than trust the next deltas to complete it.
     */
    public record Resync() implements Update {
    }

    private final Sinks.Many<Update> updates = Sinks.many().multicast().directBestEffort();

    /**
     * Publishes the metrics of one committed batch. Called from several partition lanes at once;
     * the busy-loop handler serialises concurrent emitters.
     */
    public void publishMetrics(List<FamilyMetricsRow> rows) {
        if (!rows.isEmpty()) {
            emit(Metrics.of(rows));
        }
    }

    /** Publishes the detection changes of one committed batch, one update each, in order. */
    public void publishDetections(List<DetectionRow> rows) {
        rows.forEach(row -> emit(DetectionUpdate.of(row)));
    }

    /** Publishes the trending of a window that just closed. */
    public void publishTrending(Trending trending) {
        emit(new TrendingUpdate(new Shared<>(trending)));
    }

    /** Tells every subscriber that updates may have been missed (see {@link Resync}). */
    public void publishResync() {
        emit(new Resync());
    }

    private void emit(Update update) {
        updates.emitNext(update, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }

    /** Hot; never completes while the application runs, never errors. */
    public Flux<Update> updates() {
        return updates.asFlux();
    }
}
