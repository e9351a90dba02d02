package dev.pulse.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An event's compact storage (issue 7) answers exactly what the map and the strings it was built from would. */
class EventStorageTest {

    private static final Instant T = Instant.parse("2026-11-23T09:10:00Z");

    @Test
    void shouldKeepDataInSourceOrderWithNullValues() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("z_last_alphabetically", 1L);
        source.put("note", null);
        source.put("amount", new BigDecimal("12.50"));
        source.put("tags", List.of("a", "b"));

        Map<String, Object> data = event("PaymentReceived", source).eventData();

        assertThat(data).containsExactly(Map.entry("z_last_alphabetically", 1L), new AbstractMap.SimpleEntry<>("note", null),
                Map.entry("amount", new BigDecimal("12.50")), Map.entry("tags", List.of("a", "b")));
        assertThat(data.containsKey("note")).isTrue();
        assertThat(data.get("note")).isNull();
        assertThat(data.containsKey("missing")).isFalse();
        assertThat(data.get("missing")).isNull();
        assertThat(data.get("amount")).isEqualTo(new BigDecimal("12.50"));
        assertThat(data).hasSize(4);
    }

    @Test
    void shouldEqualAndHashLikeTheSourceMap() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("new_score", 40L);
        source.put("old_score", 55L);

        Map<String, Object> data = event("EngagementScoreUpdated", source).eventData();

        assertThat(data).isEqualTo(source);
        assertThat(source).isEqualTo(data);
        assertThat(data.hashCode()).isEqualTo(source.hashCode());
        assertThat(data.toString()).isEqualTo(source.toString());
        assertThat(data).isNotEqualTo(Map.of("new_score", 40L));
    }

    @Test
    void shouldNotChangeWhenTheSourceMapChangesAfterwards() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("new_score", 40L);
        Event event = event("EngagementScoreUpdated", source);

        source.put("new_score", 90L);
        source.put("old_score", 10L);

        assertThat(event.eventData()).containsExactly(Map.entry("new_score", 40L));
        assertThat(event.newScore()).contains(40);
    }

    @Test
    void shouldRefuseChangesToData() {
        Map<String, Object> data = event("EngagementScoreUpdated", Map.of("new_score", 40L)).eventData();

        assertThatThrownBy(() -> data.put("new_score", 41L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> data.remove("new_score")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(data::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> data.entrySet().iterator().next().setValue(1L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldDeriveScoreAndAmountOnlyForTheirTypes() {
        Event score = event("EngagementScoreUpdated", Map.of("new_score", 73L));
        Event payment = event("PaymentReceived", Map.of("amount", new BigDecimal("450.00")));
        Event other = event("UserLogin", Map.of("new_score", 73L, "amount", 5L));

        assertThat(score.newScore()).contains(73);
        assertThat(score.amount()).isEmpty();
        assertThat(payment.amount()).contains(new BigDecimal("450.00"));
        assertThat(payment.newScore()).isEmpty();
        assertThat(payment.amount()).contains(new BigDecimal("450.00"));
        assertThat(other.newScore()).isEmpty();
        assertThat(other.amount()).isEmpty();
    }

    @Test
    void shouldHoldTheSharedFamilyIdWhenEqual() {
        String held = new String("family-7");
        Event event = new Event("e-1", "UserLogin", new String("family-7"), T, 1, Map.of());
        Event copy = new Event("e-1", "UserLogin", "family-7", T, 1, Map.of());

        event.shareAggregateId(held);

        assertThat(event.aggregateId()).isSameAs(held);
        assertThat(event).isEqualTo(copy).hasSameHashCodeAs(copy);
    }

    @Test
    void shouldRefuseToShareAnotherFamilysId() {
        Event event = new Event("e-1", "UserLogin", "family-7", T, 1, Map.of());

        assertThatThrownBy(() -> event.shareAggregateId("family-8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("e-1 belongs to family-7, not family-8");
        assertThat(event.aggregateId()).isEqualTo("family-7");
    }

    private static Event event(String type, Map<String, Object> data) {
        return new Event("e-1", type, "family-1", T, 1, data);
    }
}
