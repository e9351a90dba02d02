package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.event.Event;
import dev.pulse.event.Events;
import dev.pulse.stream.time.Watermark;
import dev.pulse.stream.window.CounterRow;
import dev.pulse.stream.window.Outcome;
import dev.pulse.stream.window.WindowCounter;
import dev.pulse.stream.window.WindowSnapshot;
import dev.pulse.stream.window.WindowSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stored form of a family's window state (SPEC §4): a round trip gives the same snapshot, and a counter
 * restored from the decoded snapshot continues exactly like the one that took it.
 */
class WindowSnapshotCodecTest {

    private static final String FAMILY = "family-1";
    private static final Duration MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    private static final List<WindowSpec> SPECS = Stream.concat(WindowSpec.DEFAULTS.stream(),
            Stream.of(WindowSpec.sliding(Duration.ofHours(1), Duration.ofMinutes(5)), WindowSpec.count(3, 1))).toList();

    /** Before the snapshot: sessions and count runs close, windows are forgotten, and some stay open. */
    private static final List<Event> BEFORE = List.of(
            Events.score(FAMILY).at("08:00:00Z").score(40).id("s1").build(),
            Events.payment(FAMILY).at("08:05:00Z").amount("450.00").id("p1").build(),
            Events.login(FAMILY).at("08:10:00Z").id("l1").build(),
            Events.payment(FAMILY).at("08:20:00Z").amount("1000").id("p2").build(),
            Events.payment(FAMILY).at("08:21:00Z").amount("12.5").id("p3").build(),
            Events.score(FAMILY).at("09:30:00Z").score(70).id("s2").build(),
            Events.payment(FAMILY).at("09:31:00Z").amount("2E+1").id("p4").build(), // 20, scale -1 (sent as 2e1)
            Events.login(FAMILY).at("09:32:00Z").id("l2").build(),
            Events.score(FAMILY).at("09:33:00Z").score(65).id("s3").build(),
            Events.payment(FAMILY).at("09:32:58Z").amount("30.000").id("p5").build()); // out of order, in bound

    /** After the snapshot: fed to the original and to the restored counter alike. */
    private static final List<Event> AFTER = List.of(
            Events.payment(FAMILY).at("09:34:00Z").amount("5.00").id("p6").build(),
            Events.payment(FAMILY).at("09:33:59Z").amount("7").id("p7").build(),
            Events.login(FAMILY).at("09:40:00Z").id("l3").build(),
            Events.score(FAMILY).at("10:10:00Z").score(40).id("s4").build(),
            Events.payment(FAMILY).at("09:35:00Z").amount("1.50").id("p8").build()); // late for some windows

    static Stream<Duration> allowedLateness() {
        return Stream.of(Duration.ZERO, Duration.ofMinutes(10));
    }

    @ParameterizedTest
    @MethodSource("allowedLateness")
    void shouldDecodeEqualSnapshotWhenTakenFromRunningCounter(Duration allowedLateness) {
        Run run = new Run(allowedLateness);
        run.feed(BEFORE);
        WindowSnapshot snapshot = run.counter.snapshot(FAMILY).orElseThrow();
        assertThat(snapshot.openRows()).as("open rows").isNotEmpty();
        assertThat(snapshot.countEvents()).as("count events").isNotEmpty();
        assertThat(snapshot.closed()).as("closed windows").isNotEmpty();

        assertThat(roundTrip(snapshot)).isEqualTo(snapshot);
    }

    @Test
    void shouldKeepFinalFlagAndScaleWhenRowsAreWithinAllowedLateness() {
        Run run = new Run(Duration.ofMinutes(10));
        run.feed(BEFORE);
        WindowSnapshot snapshot = run.counter.snapshot(FAMILY).orElseThrow();
        assertThat(snapshot.openRows()).as("final rows kept open by allowed lateness").anyMatch(CounterRow::isFinal);
        assertThat(snapshot.countEvents()).as("a value with a negative scale")
                .anyMatch(e -> e.value() != null && e.value().scale() < 0);

        WindowSnapshot decoded = roundTrip(snapshot);

        assertThat(decoded.openRows()).extracting(CounterRow::isFinal)
                .containsExactlyElementsOf(snapshot.openRows().stream().map(CounterRow::isFinal).toList());
        assertThat(decoded.openRows()).filteredOn(row -> row.aggregate().hasValues())
                .extracting(row -> row.aggregate().sum().scale())
                .containsExactlyElementsOf(snapshot.openRows().stream().filter(row -> row.aggregate().hasValues())
                        .map(row -> row.aggregate().sum().scale()).toList());
        assertThat(decoded.countEvents()).extracting(WindowSnapshot.CountEvent::value)
                .containsExactlyElementsOf(snapshot.countEvents().stream().map(WindowSnapshot.CountEvent::value).toList());
    }

    @ParameterizedTest
    @MethodSource("allowedLateness")
    void shouldContinueLikeOriginalWhenRestoredFromDecodedSnapshot(Duration allowedLateness) {
        Run original = new Run(allowedLateness);
        original.feed(BEFORE);
        WindowSnapshot decoded = roundTrip(original.counter.snapshot(FAMILY).orElseThrow());
        Run restored = new Run(allowedLateness);
        restored.maxSeen = original.maxSeen;
        restored.counter.onWatermark(original.counter.watermark());
        restored.counter.restore(decoded);

        List<Outcome> expected = original.feed(AFTER);
        List<Outcome> actual = restored.feed(AFTER);
        expected.addAll(original.counter.onWatermark(new Watermark(Instant.parse("2026-11-24T00:00:00Z"))));
        actual.addAll(restored.counter.onWatermark(new Watermark(Instant.parse("2026-11-24T00:00:00Z"))));

        assertThat(expected).as("the scenario produces rows, removals and lates")
                .hasAtLeastOneElementOfType(Outcome.Updated.class)
                .hasAtLeastOneElementOfType(Outcome.Late.class);
        assertThat(actual).isEqualTo(expected);
        assertThat(restored.counter.snapshot(FAMILY)).isEqualTo(original.counter.snapshot(FAMILY));
    }

    @Test
    void shouldDecodeNullWhenSnapshotIsAbsent() throws IOException {
        byte[] bytes = encode(null);

        assertThat(bytes).hasSize(1);
        assertThat(decode(bytes)).isNull();
    }

    @Test
    void shouldDecodeEmptySnapshotWhenNothingIsHeld() {
        WindowSnapshot empty = new WindowSnapshot(FAMILY, List.of(), List.of(), List.of());

        assertThat(roundTrip(empty)).isEqualTo(empty);
    }

    @Test
    void shouldLeaveFollowingBytesUnreadWhenEmbeddedInLargerEncoding() throws IOException {
        Run run = new Run(Duration.ZERO);
        run.feed(BEFORE);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            WindowSnapshotCodec.write(out, run.counter.snapshot(FAMILY).orElseThrow());
            WindowSnapshotCodec.write(out, null);
            out.writeLong(42);
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));

        assertThat(WindowSnapshotCodec.read(in, FAMILY)).isEqualTo(run.counter.snapshot(FAMILY).orElseThrow());
        assertThat(WindowSnapshotCodec.read(in, FAMILY)).isNull();
        assertThat(in.readLong()).isEqualTo(42);
        assertThat(in.available()).isZero();
    }

    @Test
    void shouldFailNamingFamilyWhenCountIsNegative() throws IOException {
        byte[] bytes = encodeTaken();
        ByteBuffer.wrap(bytes).putInt(1, -1); // the open-row count follows the presence byte

        assertThatThrownBy(() -> decode(bytes))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("family-1")
                .hasMessageContaining("-1 open rows");
    }

    @Test
    void shouldFailNamingFamilyWhenCountExceedsRemainingBytes() throws IOException {
        byte[] bytes = encodeTaken();
        ByteBuffer.wrap(bytes).putInt(1, Integer.MAX_VALUE);

        assertThatThrownBy(() -> decode(bytes))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("corrupt window state of family family-1");
    }

    @Test
    void shouldFailNamingFamilyWhenSpecTextIsGarbled() throws IOException {
        byte[] bytes = encodeTaken();
        // The first row's spec text starts after the presence byte, the count and the text's length.
        bytes[7] = '#';

        assertThatThrownBy(() -> decode(bytes))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("corrupt window state of family family-1")
                .hasMessageContaining("window spec");
    }

    @Test
    void shouldRejectKeyOfOtherFamilyWhenWriting() {
        Run run = new Run(Duration.ZERO);
        run.feed(List.of(Events.login("family-2").at("09:00:00Z").id("x1").build()));
        WindowSnapshot other = run.counter.snapshot("family-2").orElseThrow();
        WindowSnapshot mixed = new WindowSnapshot(FAMILY, other.openRows(), List.of(), List.of());

        assertThatThrownBy(() -> encode(mixed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("family family-1 holds a key of family family-2");
    }

    private static byte[] encodeTaken() throws IOException {
        Run run = new Run(Duration.ZERO);
        run.feed(BEFORE);
        return encode(run.counter.snapshot(FAMILY).orElseThrow());
    }

    private static WindowSnapshot roundTrip(WindowSnapshot snapshot) {
        try {
            byte[] bytes = encode(snapshot);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            WindowSnapshot decoded = WindowSnapshotCodec.read(in, snapshot.familyId());
            assertThat(in.available()).as("bytes left after reading").isZero();
            return decoded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encode(WindowSnapshot snapshot) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            WindowSnapshotCodec.write(out, snapshot);
        }
        return bytes.toByteArray();
    }

    private static WindowSnapshot decode(byte[] bytes) throws IOException {
        return WindowSnapshotCodec.read(new DataInputStream(new ByteArrayInputStream(bytes)), FAMILY);
    }

    /** A counter fed as a partition lane feeds it: the watermark is the largest time seen − 5s (SPEC §2). */
    private static final class Run {
        final WindowCounter counter;
        Instant maxSeen;

        Run(Duration allowedLateness) {
            counter = new WindowCounter(SPECS, allowedLateness);
        }

        List<Outcome> feed(List<Event> events) {
            List<Outcome> out = new ArrayList<>();
            for (Event event : events) {
                maxSeen = maxSeen == null || event.eventTimestamp().isAfter(maxSeen) ? event.eventTimestamp() : maxSeen;
                out.addAll(counter.onEvent(event, new Watermark(maxSeen.minus(MAX_OUT_OF_ORDERNESS))));
            }
            return out;
        }
    }
}
