package dev.pulse.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

    @Test
    void shouldReconcileWhenEveryFamilyGrewByItsDistinctEvents() {
        Reconciliation result = Reconciliation.of(Map.of("a", 3L, "b", 2L), Map.of("a", 10L), Map.of("a", 13L, "b", 2L));

        assertThat(result.exact()).isTrue();
        assertThat(result.counted()).isEqualTo(5);
        assertThat(result.summary()).isEqualTo("all 2 families reconciled: 5 events counted, none lost, none doubled");
    }

    @Test
    void shouldNameFamiliesShortOfTheirEventsAndFamiliesCountedTwice() {
        Reconciliation result = Reconciliation.of(Map.of("a", 3L, "b", 2L, "c", 1L), Map.of("a", 10L), Map.of("a", 12L, "b", 4L));

        assertThat(result.exact()).isFalse();
        assertThat(result.lost()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1L, "c", 1L));
        assertThat(result.doubled()).containsExactlyEntriesOf(Map.of("b", 2L));
        assertThat(result.summary()).isEqualTo("NOT reconciled: expected 6 events, counted 6; 2 of 3 families short (a by 1, c by 1), 1 over (b by 2)");
    }
}
