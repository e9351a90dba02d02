package dev.pulse.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.pulse.rules.DefaultRules;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The watch for other instances' rule versions outlives polls slower than its interval (a slow database). */
class ActiveRulesWatchTest {

    private static final Instant AT = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void shouldKeepWatchingWhenAPollTakesLongerThanTheInterval() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        RuleVersions store = mock(RuleVersions.class);
        String spec = ActiveRules.json(DefaultRules.spec());
        AtomicLong activeNumber = new AtomicLong(1);
        when(store.syncConfigured(any(), any(), any())).thenReturn(Mono.just(stored(1, spec)));
        // Each poll answers after 5 s, five intervals: the ticks in between must be skipped, not overflow the watch.
        when(store.activeNumber()).thenAnswer(call -> Mono.delay(Duration.ofSeconds(5), time).map(tick -> activeNumber.get()));
        when(store.active()).thenAnswer(call -> Mono.just(stored(activeNumber.get(), spec)));
        ActiveRules rules = new ActiveRules(store);
        rules.initialize(DefaultRules.spec(), AT).block();

        AtomicReference<Throwable> failed = new AtomicReference<>();
        Disposable watching = rules.watch(Duration.ofSeconds(1), time).subscribe(version -> { }, failed::set);
        time.advanceTimeBy(Duration.ofSeconds(30));
        activeNumber.set(2); // another instance made version 2
        time.advanceTimeBy(Duration.ofSeconds(30));
        watching.dispose();

        assertThat(failed.get()).as("the watch ended with an error").isNull();
        assertThat(rules.current().number()).isEqualTo(2);
    }

    private static RuleVersions.Stored stored(long version, String spec) {
        return new RuleVersions.Stored(version, spec, null, "configuration", "test", AT, true);
    }
}
