package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailureReasonTest {

    @Test
    void shouldNameTheInnermostCauseNotTheWrappersThatRepeatTheSql() {
        Exception failure = new RuntimeException("execute; SQL [insert into realtime_family_metrics ...]",
                new IllegalStateException("[P0001] refused"));

        assertThat(EventPipeline.reason("batch failed: ", failure)).isEqualTo("batch failed: IllegalStateException: [P0001] refused");
    }

    @Test
    void shouldKeepTheReasonShort() {
        String reason = EventPipeline.reason("receiver failed: ", new IllegalStateException("x".repeat(2000)));

        assertThat(reason).hasSize(500).startsWith("receiver failed: IllegalStateException: xxx").endsWith("…");
    }

    @Test
    void shouldNameTheTypeWhenTheCauseHasNoMessage() {
        assertThat(EventPipeline.reason("batch failed: ", new NullPointerException())).isEqualTo("batch failed: NullPointerException");
    }
}
