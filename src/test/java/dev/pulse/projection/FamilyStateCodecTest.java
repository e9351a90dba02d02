package dev.pulse.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.pulse.family.FamilyState;
import dev.pulse.family.ScoreObservation;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The stored form of a family's operator state ({@code family_operator_state.state}) must round-trip exactly. */
class FamilyStateCodecTest {

    private static final String FAMILY = "family-1";
    private static final Instant T = Instant.parse("2026-11-23T09:10:00.123Z");

    @Test
    void shouldRoundTripWhenStateIsEmpty() {
        assertRoundTrip(FamilyState.empty(FAMILY));
    }

    @Test
    void shouldRoundTripWhenStateHasScore() {
        FamilyState state = new FamilyState(FAMILY, new ScoreObservation(T, "0b7e6d1e-3f7a-4a57-9a31-6f0c1b2a9e11", 42),
                17, T.plusSeconds(60), new long[] {T.toEpochMilli(), T.toEpochMilli() + 60_000});

        FamilyState decoded = assertRoundTrip(state);

        assertThat(decoded.latestScore()).isEqualTo(state.latestScore());
        assertThat(decoded.lastEventTimestamp()).isEqualTo(T.plusSeconds(60));
    }

    static Stream<Arguments> scores() {
        return Stream.of(
                arguments("score 0", new ScoreObservation(T, "e1", 0)),
                arguments("score 100", new ScoreObservation(T, "e1", 100)),
                arguments("non-ASCII id", new ScoreObservation(T, "évènement-😀-日本", 55)),
                arguments("id of 100 emoji", new ScoreObservation(T, "😀".repeat(100), 55)),
                arguments("id with NUL", new ScoreObservation(T, "a\u0000b", 55)),
                arguments("before 1970", new ScoreObservation(Instant.parse("1969-07-20T20:17:40.001Z"), "apollo", 11)),
                arguments("epoch", new ScoreObservation(Instant.EPOCH, "zero", 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scores")
    void shouldRoundTripScoreWhenItIsAnEdgeCase(String label, ScoreObservation score) {
        assertRoundTrip(new FamilyState(FAMILY, score, 1, score.at(), new long[] {score.at().toEpochMilli()}));
    }

    @Test
    void shouldRoundTripWhenTimesAreBefore1970() {
        long[] times = {
                Instant.parse("1850-01-01T00:00:00Z").toEpochMilli(),
                Instant.parse("1969-12-31T23:59:59.998Z").toEpochMilli(),
                -1, 0, 1,
                Instant.parse("2026-11-23T09:10:00Z").toEpochMilli()};

        assertRoundTrip(new FamilyState(FAMILY, null, 6, Instant.parse("1969-12-31T23:59:59.999Z"), times));
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, -62_135_596_800_000L /* year 1 */, -1_000_000_000_000_000L})
    void shouldRoundTripWhenLastEventIsBefore1970(long epochMilli) {
        Instant last = Instant.ofEpochMilli(epochMilli);

        assertRoundTrip(new FamilyState(FAMILY, new ScoreObservation(last, "e1", 30), 1, last, new long[] {epochMilli}));
    }

    @Test
    void shouldRoundTripWhenTimesRepeat() {
        long t = T.toEpochMilli();

        assertRoundTrip(new FamilyState(FAMILY, null, 5, T, new long[] {t, t, t, t + 1, t + 1}));
    }

    @Test
    void shouldRoundTripWhenTimesAreFarApart() {
        long[] times = {Long.MIN_VALUE + 1, -1, 0, Long.MAX_VALUE / 2, Long.MAX_VALUE};

        assertRoundTrip(new FamilyState(FAMILY, null, 5, null, times));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 20261123})
    void shouldRoundTripWhenStateHoldsManyTimes(long seed) {
        Random random = new Random(seed);
        long[] times = new long[10_000];
        long t = T.toEpochMilli() - 7L * 24 * 3600 * 1000;
        for (int i = 0; i < times.length; i++) {
            t += random.nextInt(4) == 0 ? 0 : random.nextInt(120_000);
            times[i] = t;
        }
        FamilyState state = new FamilyState(FAMILY, new ScoreObservation(T, "e-" + seed, random.nextInt(101)),
                times.length + random.nextInt(1000), Instant.ofEpochMilli(t), times);

        FamilyState decoded = assertRoundTrip(state);

        assertThat(decoded.recentEventTimesMs()).as("seed %d", seed).containsExactly(times);
    }

    @Test
    void shouldEncodeDenseTimesCompactlyWhenTheyAreMinutesApart() {
        long[] times = new long[1000];
        for (int i = 0; i < times.length; i++) {
            times[i] = T.toEpochMilli() + i * 60_000L;
        }

        byte[] encoded = FamilyStateCodec.encode(new FamilyState(FAMILY, null, 1000, T, times));

        // the first time costs ~6 bytes, each minute delta 3; 8 bytes a time would mean no delta encoding
        assertThat(encoded.length).isLessThan(64 + times.length * 4);
    }

    @Test
    void shouldTakeFamilyIdFromCallerWhenDecoding() {
        byte[] encoded = FamilyStateCodec.encode(FamilyState.empty("family-1"));

        assertThat(FamilyStateCodec.decode("family-2", encoded).familyId()).isEqualTo("family-2");
    }

    @Test
    void shouldRefuseStateWhenVersionIsUnknown() {
        byte[] encoded = FamilyStateCodec.encode(FamilyState.empty(FAMILY));
        encoded[0] = 99;

        assertThatThrownBy(() -> FamilyStateCodec.decode(FAMILY, encoded))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(FAMILY)
                .hasMessageContaining("99");
    }

    @Test
    void shouldRefuseStateWhenBytesAreTruncated() {
        FamilyState state = new FamilyState(FAMILY, new ScoreObservation(T, "e1", 40), 3, T,
                new long[] {T.toEpochMilli(), T.toEpochMilli() + 1, T.toEpochMilli() + 2});
        byte[] encoded = FamilyStateCodec.encode(state);

        for (int length = 0; length < encoded.length; length++) {
            byte[] truncated = Arrays.copyOf(encoded, length);
            assertThatThrownBy(() -> FamilyStateCodec.decode(FAMILY, truncated))
                    .as("truncated to %d of %d bytes", length, encoded.length)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(FAMILY);
        }
    }

    private static FamilyState assertRoundTrip(FamilyState state) {
        byte[] encoded = FamilyStateCodec.encode(state);

        FamilyState decoded = FamilyStateCodec.decode(state.familyId(), encoded);

        assertThat(decoded).isEqualTo(state);
        assertThat(decoded.recentEventTimesMs()).containsExactly(state.recentEventTimesMs());
        assertThat(FamilyStateCodec.encode(decoded)).as("re-encoding is stable").isEqualTo(encoded);
        return decoded;
    }
}
