package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class InFlightLimitTest {

    private final List<Long> upstreamRequests = new CopyOnWriteArrayList<>();

    private Flux<Integer> source() {
        return Flux.range(1, 1_000).doOnRequest(upstreamRequests::add);
    }

    private long askedUpstream() {
        return upstreamRequests.stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void shouldAskUpstreamForNoMoreThanTheLimitWhenDownstreamAsksForMore() {
        InFlightLimit limit = new InFlightLimit(10);

        StepVerifier.create(limit.admit(source()), 500)
                .expectNextCount(10)
                .expectNoEvent(Duration.ofMillis(100))
                .then(() -> {
                    assertThat(askedUpstream()).isEqualTo(10);
                    assertThat(limit.inFlight()).isEqualTo(10);
                })
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void shouldAdmitAsManyMoreAsWereReleasedWhenDownstreamStillAsks() {
        InFlightLimit limit = new InFlightLimit(10);

        StepVerifier.create(limit.admit(source()), 500)
                .expectNextCount(10)
                .then(() -> limit.release(4))
                .expectNext(11, 12, 13, 14)
                .expectNoEvent(Duration.ofMillis(100))
                .then(() -> {
                    assertThat(askedUpstream()).isEqualTo(14);
                    assertThat(limit.inFlight()).isEqualTo(10);
                })
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void shouldAskForNoMoreThanDownstreamWantsWhenPermitsAreFree() {
        InFlightLimit limit = new InFlightLimit(10);

        StepVerifier.create(limit.admit(source()), 3)
                .expectNext(1, 2, 3)
                .expectNoEvent(Duration.ofMillis(100))
                .then(() -> assertThat(askedUpstream()).isEqualTo(3))
                .thenRequest(2)
                .expectNext(4, 5)
                .then(() -> {
                    limit.release(5);
                    assertThat(limit.inFlight()).isZero();
                    assertThat(askedUpstream()).as("released permits do not create demand").isEqualTo(5);
                })
                .thenRequest(100)
                .expectNextCount(10)
                .expectNoEvent(Duration.ofMillis(100))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void shouldDeliverEverythingWhenRecordsAreReleasedAsTheyArrive() {
        InFlightLimit limit = new InFlightLimit(7);

        StepVerifier.create(limit.admit(source()).doOnNext(record -> limit.release(1)))
                .expectNextCount(1_000)
                .verifyComplete();
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void shouldRefuseALimitBelowOne() {
        assertThatThrownBy(() -> new InFlightLimit(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max records in flight must be >= 1");
    }
}
