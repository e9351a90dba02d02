package dev.pulse.pipeline;

import dev.pulse.family.FamilyState;
import dev.pulse.stream.time.StreamTime;
import java.util.HashMap;
import java.util.Map;

/**
 * The in-memory state of one partition lane: its stream time and the states of the families seen
 * since the partition was assigned. Only ever touched by that lane's sequential batch processing,
 * and only with committed values, so it is always a prefix of what PostgreSQL holds.
 */
final class LaneState {

    private StreamTime streamTime;
    private final Map<String, FamilyState> families = new HashMap<>();

    LaneState(StreamTime streamTime) {
        this.streamTime = streamTime;
    }

    StreamTime streamTime() {
        return streamTime;
    }

    FamilyState family(String familyId) {
        return families.get(familyId);
    }

    boolean knows(String familyId) {
        return families.containsKey(familyId);
    }

    void commit(StreamTime newStreamTime, Map<String, FamilyState> changed) {
        streamTime = newStreamTime;
        families.putAll(changed);
    }
}
