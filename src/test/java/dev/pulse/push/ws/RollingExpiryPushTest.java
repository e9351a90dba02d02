package dev.pulse.push.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.engine.EngineSettings;
import dev.pulse.engine.PartitionEngine;
import dev.pulse.event.Events;
import dev.pulse.projection.FamilyMetricsRow;
import dev.pulse.push.hub.UpdateHub;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * SPEC §2: rolling ranges stay current. When stream time passes the moment family-1's event leaves its
 * 7-day range (moved by another family's event), family-1's row is recomputed and pushed to dashboards
 * without any event of its own.
 */
class RollingExpiryPushTest {

    private static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");
    private final JsonMapper json = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    @Test
    void shouldPushFamilyWhoseEventLeftTheSevenDayRangeWithoutANewEventOfItsOwn() {
        UpdateHub hub = new UpdateHub();
        PartitionEngine engine = PartitionEngine.fresh(EngineSettings.defaults(), InstantSource.system());
        StepVerifier.withVirtualTime(() -> {
                    // The committed batches of one lane, a second apart, published like the pipeline does after commit.
                    Flux<Void> lane = Flux.concat(
                            batchAfter(Duration.ofSeconds(1), engine, hub, Events.login("family-1").at(T0.toString()).id("a").build()),
                            batchAfter(Duration.ofSeconds(1), engine, hub,
                                    Events.login("family-2").at(T0.plus(Duration.ofDays(7)).toString()).id("b").build()));
                    return new DashboardSocket(hub, () -> Mono.just(List.of()), json).frames("client")
                            .mergeWith(lane.then(Mono.empty()));
                })
                .expectSubscription()
                .assertNext(frame -> assertThat(frame).contains("\"type\":\"snapshot\""))
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(frame -> assertThat(frame).contains("\"family_id\":\"family-1\"").contains("\"events_last_7_days\":1"))
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(frame -> assertThat(frame)
                        .as("one frame with both families: family-2's event, and family-1 whose event left the range")
                        .contains("\"family_id\":\"family-2\"")
                        .contains("{\"family_id\":\"family-1\"")
                        .contains("\"events_last_7_days\":0"))
                .expectNoEvent(Duration.ofSeconds(10))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    private static Mono<Void> batchAfter(Duration delay, PartitionEngine engine, UpdateHub hub, dev.pulse.event.Event event) {
        return Mono.delay(delay).doOnNext(tick -> {
            var output = engine.apply(List.of(event));
            hub.publishMetrics(output.metrics().stream().map(m -> FamilyMetricsRow.of(m, Instant.EPOCH)).toList());
        }).then();
    }
}
