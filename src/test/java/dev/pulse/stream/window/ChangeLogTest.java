package dev.pulse.stream.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The batch's change log on its own: one entry per stored row in order of the row's latest change, live rows read
 * when the batch is taken, and the array behind it (holes left by rows changed again, squeezed out or grown).
 */
class ChangeLogTest {

    /** The watermark the log's rows are taken under: these rows are never final. */
    private static final long BEFORE_ANY_WATERMARK = Long.MIN_VALUE;

    private static final WindowSpec MINUTE = WindowSpec.tumbling(Duration.ofMinutes(1));

    @Test
    void shouldListRowsInOrderOfTheirLatestChangeWhenRowsChangeAgain() {
        ChangeLog log = new ChangeLog(false);
        Row a = new Row(0);
        Row b = new Row(1);
        Row c = new Row(2);

        log.updated(a);
        log.updated(b);
        log.updated(c);
        log.updated(a);   // a moves behind c
        log.updated(a);   // already last: stays
        a.events = 5;     // read when taken, not when logged

        assertThat(log.drain(BEFORE_ANY_WATERMARK).upserts()).containsExactly(b.row(), c.row(), a.row());
        assertThat(a.row().aggregate().eventCount()).isEqualTo(5);
    }

    @Test
    void shouldStartEmptyAfterDrainWhenRowsWereTaken() {
        ChangeLog log = new ChangeLog(false);
        Row a = new Row(0);
        log.updated(a);
        log.drain(BEFORE_ANY_WATERMARK);

        CounterChanges empty = log.drain(BEFORE_ANY_WATERMARK);
        log.updated(a);

        assertThat(empty.isEmpty()).isTrue();
        assertThat(log.drain(BEFORE_ANY_WATERMARK).upserts()).containsExactly(a.row());
    }

    @Test
    void shouldKeepOrderWhenManyChangesOfFewRowsFillTheArray() {
        ChangeLog log = new ChangeLog(false);
        Row[] rows = {new Row(0), new Row(1), new Row(2)};
        // 1,000 changes of three rows: far past the initial 64 slots, so holes are squeezed out several times.
        for (int i = 0; i < 1000; i++) {
            log.updated(rows[(i * 7) % 3]);
        }
        // The last changes, i = 997, 998, 999: 6979 % 3 = 1, 6986 % 3 = 2, 6993 % 3 = 0.

        assertThat(log.drain(BEFORE_ANY_WATERMARK).upserts()).containsExactly(rows[1].row(), rows[2].row(), rows[0].row());
    }

    @Test
    void shouldKeepEveryRowWhenManyDistinctRowsChange() {
        ChangeLog log = new ChangeLog(false);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(new Row(i));
            log.updated(rows.get(i));
        }
        log.updated(rows.get(0));

        List<CounterRow> expected = new ArrayList<>();
        for (int i = 1; i < 500; i++) {
            expected.add(rows.get(i).row());
        }
        expected.add(rows.get(0).row());
        assertThat(log.drain(BEFORE_ANY_WATERMARK).upserts()).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldDeleteRowInsteadOfUpsertingItWhenItIsRemovedAfterItsChange() {
        ChangeLog log = new ChangeLog(false);
        Row a = new Row(0);
        Row b = new Row(1);
        log.updated(a);
        log.updated(b);

        log.removed(a);
        CounterChanges changes = log.drain(BEFORE_ANY_WATERMARK);

        assertThat(changes.upserts()).containsExactly(b.row());
        assertThat(changes.deletes()).containsExactly(a.key());
    }

    @Test
    void shouldUpsertRowInsteadOfDeletingItWhenTheSameStoredRowIsWrittenAgain() {
        ChangeLog log = new ChangeLog(false);
        Row a = new Row(0);
        Row again = new Row(0); // another state of the same stored row (a session moved back to this start)
        Row b = new Row(1);
        log.updated(a);
        log.removed(a);
        log.updated(b);

        log.updated(again);
        CounterChanges changes = log.drain(BEFORE_ANY_WATERMARK);

        assertThat(changes.deletes()).isEmpty();
        assertThat(changes.upserts()).containsExactly(b.row(), again.row());
    }

    @Test
    void shouldKeepDeletionWhenLaterRowsAreOtherRowsOfTheSameOrAnotherFamily() {
        ChangeLog log = new ChangeLog(false);
        Row removed = new Row(0);
        Row sameFamily = new Row(1);
        Row otherFamily = new Row("family-2", 0); // same window and type, another family: another stored row
        log.updated(removed);
        log.removed(removed);

        log.updated(sameFamily);
        log.updated(otherFamily);
        CounterChanges changes = log.drain(BEFORE_ANY_WATERMARK);

        assertThat(changes.deletes()).containsExactly(removed.key());
        assertThat(changes.upserts()).containsExactly(sameFamily.row(), otherFamily.row());
    }

    @Test
    void shouldReportRowsMadeFinalOnlyWhenAskedTo() {
        ChangeLog engine = new ChangeLog(false);
        ChangeLog perCall = new ChangeLog(true);
        Row a = new Row(0);
        Row b = new Row(1);

        engine.finalized(a);
        perCall.finalized(b);

        assertThat(engine.drain(BEFORE_ANY_WATERMARK).isEmpty()).isTrue();
        assertThat(perCall.drain(BEFORE_ANY_WATERMARK).upserts()).containsExactly(b.row());
    }

    /** A live row, of family-1 unless told, its window the minute {@code minute} after the epoch. */
    private static final class Row extends LiveRow {

        private final CounterKey key;
        long events = 1;

        Row(int minute) {
            this("family-1", minute);
        }

        Row(String familyId, int minute) {
            long start = minute * 60_000L;
            this.key = new CounterKey(familyId, "UserLogin", MINUTE, Window.ofMillis(start, start + 60_000));
        }

        @Override
        CounterKey key() {
            return key;
        }

        @Override
        String familyId() {
            return key.familyId();
        }

        @Override
        CounterRow row(long w) {
            return new CounterRow(key, Aggregate.countOnly(events), false);
        }
    }
}
