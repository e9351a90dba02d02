package dev.pulse.ingest.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.config.SimulatorProperties;
import dev.pulse.ingest.EventJson;
import dev.pulse.ingest.kafka.EventLogSender;
import dev.pulse.support.Poll;
import dev.pulse.support.PulseIT;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.scheduler.Schedulers;

/** The simulator writes through the real log, and its families show up in the projections (SPEC §1.3). */
class SimulatorIT extends PulseIT {

    @Autowired
    EventLogSender sender;
    @Autowired
    EventJson json;

    @Test
    void shouldFillProjectionsWithHistoryThenLiveEvents() {
        SimulatorProperties properties = new SimulatorProperties(true, 5, 50, Duration.ofDays(6), 7, 0.5);
        Simulator simulator = new Simulator(properties, sender, json, InstantSource.system(), Schedulers.parallel());

        // the history batch, then two live ticks
        Long written = simulator.run().take(3).map(Integer::longValue).reduce(Long::sum).block(Duration.ofSeconds(60));
        assertThat(written).isGreaterThan(5 * 6L);

        for (int i = 1; i <= 5; i++) {
            String family = "family-%03d".formatted(i);
            Map<String, Object> row = Poll.until(Duration.ofSeconds(30), family + " from the simulator", () -> {
                Map<String, Object> r = familyOrNull(family);
                return r != null && ((Number) r.get("events_processed")).intValue() >= 6 ? r : null;
            });
            assertThat(row.get("current_engagement_score")).as(family + " has a score from its daily updates").isNotNull();
        }
        // family-005 is one whose engagement falls over the days: by now it is below the watch threshold
        assertThat(((Number) familyOrNull("family-005").get("current_engagement_score")).intValue()).isLessThan(70);
    }
}
