package dev.pulse.stream.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The families' deadline queue: takes exactly the families due at a watermark, each once, whatever order their
 * deadlines were set in and however often they moved (stale entries are skipped, not taken; an entry that comes up
 * before its family's later deadline is queued again there).
 */
class DeadlineQueueTest {

    @Test
    void shouldTakeOnlyFamiliesDueWhenWatermarkReachesTheirDeadline() {
        DeadlineQueue queue = new DeadlineQueue();
        Family a = family("a");
        Family b = family("b");
        Family c = family("c");
        queue.schedule(a, 60_000);
        queue.schedule(b, 120_000);
        queue.schedule(c, 59_999);

        assertThat(takeDue(queue, 59_998)).isEmpty();
        assertThat(takeDue(queue, 60_000)).containsExactlyInAnyOrder(c, a); // deadline == W is due: W ≥ end
        assertThat(queue.first()).isEqualTo(120_000);
    }

    @Test
    void shouldTakeFamilyOnceAtItsLatestDeadlineWhenItMovedBackAndForth() {
        DeadlineQueue queue = new DeadlineQueue();
        Family a = family("a");
        queue.schedule(a, 3_000);
        queue.schedule(a, 1_000);
        queue.schedule(a, 3_000); // the entry at 3,000 counts again; so does the new one: still taken once
        queue.schedule(a, 2_000);

        assertThat(queue.first()).isEqualTo(2_000);
        assertThat(takeDue(queue, 1_500)).isEmpty();
        assertThat(takeDue(queue, 5_000)).containsExactly(a);
        assertThat(a.deadline).isEqualTo(2_000); // left for sorting
        assertThat(queue.first()).isEqualTo(Millis.NEVER);
    }

    @Test
    void shouldNotQueueFamilyWhenItHasNoDeadline() {
        DeadlineQueue queue = new DeadlineQueue();
        Family a = family("a");
        queue.schedule(a, 1_000);
        queue.schedule(a, Millis.NEVER);

        assertThat(queue.first()).isEqualTo(Millis.NEVER);
        assertThat(takeDue(queue, Long.MAX_VALUE - 1)).isEmpty();
    }

    @Test
    void shouldTakeFamiliesInDeadlineOrderWhenManyDeadlinesAreSetAtRandom() {
        DeadlineQueue queue = new DeadlineQueue();
        Random random = new Random(7);
        List<Family> families = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            families.add(family("f" + i));
        }
        // Several moves per family, many ties: every earlier entry is stale.
        for (int round = 0; round < 4; round++) {
            for (Family family : families) {
                queue.schedule(family, random.nextInt(1_000) * 10L);
            }
        }
        long w = -1;
        int taken = 0;
        while (queue.first() != Millis.NEVER) {
            long next = queue.first();
            assertThat(next).isGreaterThan(w);
            w = next;
            List<Family> due = takeDue(queue, w);
            assertThat(due).isNotEmpty().allSatisfy(family -> assertThat(family.deadline).isEqualTo(next));
            taken += due.size();
            for (Family family : due) {
                family.due = false;
                family.deadline = Millis.NEVER;
            }
        }
        assertThat(taken).isEqualTo(families.size());
        assertThat(queue.size()).isZero();
    }

    @Test
    void shouldKeepOneEntryPerQueuedFamilyWhenRebuilt() {
        DeadlineQueue queue = new DeadlineQueue();
        Family a = family("a");
        Family b = family("b");
        Family idle = family("idle");
        for (long d = 100; d > 0; d -= 10) {
            queue.schedule(a, d);
            queue.schedule(b, 2 * d);
        }

        queue.rebuild(List.of(a, b, idle));

        assertThat(queue.size()).isEqualTo(2);
        assertThat(takeDue(queue, 15)).containsExactly(a);
        assertThat(takeDue(queue, 20)).containsExactly(b);
    }

    @Test
    void shouldKeepOneEntryForAFamilyWhoseDeadlineOnlyMovesLaterAndTakeItAtTheLatest() {
        DeadlineQueue queue = new DeadlineQueue();
        Family a = family("a");
        for (long d = 1_000; d <= 100_000; d += 1_000) {
            queue.schedule(a, d); // a family's next minute, event after event
        }

        assertThat(queue.size()).as("entries: one per family, not one per move").isEqualTo(1);
        assertThat(takeDue(queue, 50_000)).as("its entry came up before its deadline: queued again there").isEmpty();
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.first()).isEqualTo(100_000);
        assertThat(takeDue(queue, 100_000)).containsExactly(a);
        assertThat(queue.first()).isEqualTo(Millis.NEVER);
    }

    private static List<Family> takeDue(DeadlineQueue queue, long w) {
        List<Family> due = new ArrayList<>();
        queue.takeDue(w, due);
        return due;
    }

    private static Family family(String id) {
        return new Family(id, new FamilyCounter[0]);
    }
}
