package dev.pulse.pipeline;

import dev.pulse.engine.EngineSettings;
import dev.pulse.engine.PartitionEngine;
import java.time.InstantSource;

/**
 * A partition's engine carried over to another rule version (SPEC §4.1), between two of its steps: a new engine
 * with the new settings restores every family's state of the old one, exactly as a restart or a rebalance restores
 * the checkpoint the last step committed. Detections emitted so far are not emitted again (restores re-derive
 * silently), and the new rules judge every event from the next step on. The old engine must not be used afterwards
 * (the new one may share its immutable events).
 */
final class RuleSwitch {

    private RuleSwitch() {
    }

    static PartitionEngine rebuild(PartitionEngine old, EngineSettings settings, InstantSource clock) {
        PartitionEngine engine = new PartitionEngine(settings, old.streamTime(), old.watermark(), clock);
        for (String familyId : old.familyIds()) {
            engine.restore(old.snapshot(familyId));
        }
        return engine;
    }
}
