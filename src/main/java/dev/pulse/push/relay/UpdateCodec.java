package dev.pulse.push.relay;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link CommittedUpdates} as JSON text for the relay, in the same snake_case form clients see.
 * Decimals keep their scale across the trip ({@code 450.00} stays {@code 450.00}, also inside a
 * detection's free-form details), so a client of another instance sees exactly what a local one would.
 */
final class UpdateCodec {

    private final JsonMapper mapper = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    String encode(CommittedUpdates updates) {
        return mapper.writeValueAsString(updates);
    }

    /** Throws Jackson's exception for text that is not an encoded {@link CommittedUpdates}. */
    CommittedUpdates decode(String text) {
        return mapper.readValue(text, CommittedUpdates.class);
    }
}
