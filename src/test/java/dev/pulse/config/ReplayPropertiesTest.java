package dev.pulse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code pulse.replay.*} (SPEC §4.1): what starts a replay, and the settings it refuses before touching a schema. */
class ReplayPropertiesTest {

    private static ReplayProperties replay(String from, String schema) {
        return new ReplayProperties(from, schema, 20_000, Duration.ofSeconds(30), Duration.ofMillis(500));
    }

    @Test
    void shouldBeALiveProcessWhenFromIsUnsetOrBlank() {
        assertThat(replay(null, "pulse_replay").active()).isFalse();
        assertThat(replay(" ", "pulse_replay").active()).isFalse();
        assertThat(replay("earliest", "pulse_replay").active()).isTrue();
    }

    @Test
    void shouldStartFromTheBeginningOrFromAnInstant() {
        assertThat(replay("earliest", "pulse_replay").startInstant()).isEmpty();
        assertThat(replay("2026-11-01T00:00:00Z", "pulse_replay").startInstant()).contains(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(replay("2026-11-01T00:00:00Z", "pulse_replay").active()).isTrue();
        assertThat(replay(null, "pulse_replay").startInstant()).isEmpty();
    }

    @Test
    void shouldRefuseAStartThatIsNeitherEarliestNorAnInstantNamingWhatItGot() {
        assertThatThrownBy(() -> replay("latest", "pulse_replay"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'earliest' or an ISO-8601 instant").hasMessageContaining("'latest'");
        assertThatThrownBy(() -> replay("2026-11-01", "pulse_replay")).hasMessageContaining("'2026-11-01'");
    }

    @Test
    void shouldRefuseAStartInstantAfterNowSinceTheRebuildWouldHoldNoEvent() {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        assertThatThrownBy(() -> replay("2062-11-01T00:00:00Z", "pulse_replay").requireStartNotAfter(now))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2062-11-01T00:00:00Z is after the current time");
        replay("2026-11-27T12:00:00Z", "pulse_replay").requireStartNotAfter(now);
        replay("earliest", "pulse_replay").requireStartNotAfter(now);
    }

    @Test
    void shouldRefuseTheLiveSchemaOrANameThatIsNotAPlainIdentifierWhenNamingTheReplaySchema() {
        assertThatThrownBy(() -> replay("earliest", "public")).hasMessageContaining("must not be the live schema");
        assertThatThrownBy(() -> replay("earliest", "x; drop table y")).hasMessageContaining("schema name must match");
        assertThatThrownBy(() -> replay("earliest", "Replay")).hasMessageContaining("schema name must match");
    }
}
