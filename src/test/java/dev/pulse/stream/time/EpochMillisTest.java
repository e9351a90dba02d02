package dev.pulse.stream.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Epoch milliseconds rounded down, saturating beyond a long's range. */
class EpochMillisTest {

    @Test
    void shouldAnswerEpochMillisWhenInstantIsAWholeMillisecond() {
        // 2026-11-01 is day 56·365 + 14 leap days + 304 = 20,758 since 1970: 20,758·86,400 + 9·3,600 s, and 123 ms
        assertThat(EpochMillis.floor(Instant.parse("2026-11-01T09:00:00.123Z"))).isEqualTo(1_793_523_600_123L);
        assertThat(EpochMillis.floor(Instant.EPOCH)).isZero();
    }

    @Test
    void shouldRoundDownWhenInstantHasSubMillisecondNanos() {
        assertThat(EpochMillis.floor(Instant.ofEpochSecond(5, 999_999))).isEqualTo(5_000L);
        assertThat(EpochMillis.floor(Instant.ofEpochSecond(5, 1_999_999))).isEqualTo(5_001L);
    }

    @Test
    void shouldRoundTowardsMinusInfinityWhenInstantIsBeforeEpoch() {
        // −1 s + 0.5 ms = −999.5 ms, whose floor is −1000 ms; −1 ns lies in millisecond −1
        assertThat(EpochMillis.floor(Instant.ofEpochSecond(-1, 500_000))).isEqualTo(-1_000L);
        assertThat(EpochMillis.floor(Instant.ofEpochSecond(0, -1))).isEqualTo(-1L);
    }

    @Test
    void shouldAgreeWithToEpochMilliAtTheEdgesOfALong() {
        Instant last = Instant.ofEpochMilli(Long.MAX_VALUE);
        Instant first = Instant.ofEpochMilli(Long.MIN_VALUE);

        assertThat(EpochMillis.floor(last)).isEqualTo(Long.MAX_VALUE);
        assertThat(EpochMillis.floor(first)).isEqualTo(Long.MIN_VALUE);
        assertThat(EpochMillis.floor(last.minusMillis(1))).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(EpochMillis.floor(first.plusMillis(1))).isEqualTo(Long.MIN_VALUE + 1);
    }

    @Test
    void shouldSaturateWhenInstantIsBeyondALongOfMilliseconds() {
        assertThat(EpochMillis.floor(Instant.MAX)).isEqualTo(Long.MAX_VALUE);
        assertThat(EpochMillis.floor(Instant.MIN)).isEqualTo(Long.MIN_VALUE);
        assertThat(EpochMillis.floor(Instant.ofEpochMilli(Long.MAX_VALUE).plusMillis(1))).isEqualTo(Long.MAX_VALUE);
        assertThat(EpochMillis.floor(Instant.ofEpochMilli(Long.MIN_VALUE).minusNanos(1))).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void shouldSaturateWhenTheSecondIsJustBeyondTheBandWhereTheMillisecondsDecide() {
        // Long.MIN_VALUE ms is second −9,223,372,036,854,776 at 192 ms; the second before cannot fit at any ms
        long firstSecond = Math.floorDiv(Long.MIN_VALUE, 1000L);
        assertThat(EpochMillis.floor(Instant.ofEpochSecond(firstSecond, 191_000_000))).isEqualTo(Long.MIN_VALUE);
        assertThat(EpochMillis.floor(Instant.ofEpochSecond(firstSecond, 193_000_000))).isEqualTo(Long.MIN_VALUE + 1);
        assertThat(EpochMillis.floor(Instant.ofEpochSecond(firstSecond - 1, 999_999_999))).isEqualTo(Long.MIN_VALUE);
        // Long.MAX_VALUE ms is second 9,223,372,036,854,775 at 807 ms; the second after cannot fit at any ms
        long lastSecond = Math.floorDiv(Long.MAX_VALUE, 1000L);
        assertThat(EpochMillis.floor(Instant.ofEpochSecond(lastSecond, 806_000_000))).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(EpochMillis.floor(Instant.ofEpochSecond(lastSecond, 808_000_000))).isEqualTo(Long.MAX_VALUE);
        assertThat(EpochMillis.floor(Instant.ofEpochSecond(lastSecond + 1, 0))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldRoundUpToTheNextWholeMillisecondWhenInstantHasSubMillisecondNanos() {
        assertThat(EpochMillis.ceil(Instant.ofEpochSecond(5, 1))).isEqualTo(5_001L);
        assertThat(EpochMillis.ceil(Instant.ofEpochSecond(5, 1_000_000))).isEqualTo(5_001L);
        assertThat(EpochMillis.ceil(Instant.ofEpochSecond(-1, 500_000))).isEqualTo(-999L);
        assertThat(EpochMillis.ceil(Instant.MIN)).isEqualTo(Long.MIN_VALUE);
        assertThat(EpochMillis.ceil(Instant.MAX)).isEqualTo(Long.MAX_VALUE);
    }
}
