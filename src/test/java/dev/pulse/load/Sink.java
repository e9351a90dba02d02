package dev.pulse.load;

import java.util.List;
import java.util.Map;

/** Where a load run writes: the Kafka topic or {@code POST /api/events}. */
interface Sink extends AutoCloseable {

    /** Hands the events over; may return before they are acknowledged, but never drops one silently. */
    void send(List<Map<String, Object>> events) throws Exception;

    /** Waits until every event handed over is acknowledged; throws naming how many were not. */
    @Override
    void close() throws Exception;

    String describe();
}
