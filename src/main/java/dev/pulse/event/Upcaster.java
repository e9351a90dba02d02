package dev.pulse.event;

import java.util.Map;

/**
 * Reads {@code event_data} of one version of one event type into the form of the version before it
 * (SPEC §3.6). A chain of them brings every supported version down to version 1, the one form the
 * engine reads, so a stream mixing versions gives exactly the results of the same stream in version 1.
 * <p>
 * To support a new version: write one small implementation and add it to {@link Upcasters#ALL}.
 */
interface Upcaster {

    EventType type();

    /** The version this upcaster reads; it answers data of {@code version() - 1}. */
    int version();

    /**
     * @param data this version's {@code event_data}, as decoded (not modified)
     * @throws EventValidator.Refused naming the field of this version's data that breaks its rule
     */
    Map<String, Object> toPrevious(Map<String, Object> data);
}
