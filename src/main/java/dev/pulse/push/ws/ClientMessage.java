package dev.pulse.push.ws;

import dev.pulse.push.hub.Subscription;
import dev.pulse.rules.Severity;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A message a dashboard client sent (SPEC §5.3), or why it was refused. */
sealed interface ClientMessage {

    /** {@code {"type":"subscribe","family_ids":[...],"min_severity":"warning"}}; both fields optional. */
    record Subscribe(Subscription subscription) implements ClientMessage {
    }

    /** Answered with {@code {"type":"error","error":error,"detail":detail}}; the connection stays open. */
    record Refused(String error, String detail) implements ClientMessage {
    }

    int MAX_FAMILY_ID_LENGTH = 200;   // SPEC §1.1: aggregate_id is 1..200 characters

    /**
     * Reads one text frame. Never throws: anything but a valid {@code subscribe} is a {@link Refused} naming
     * the problem.
     */
    static ClientMessage parse(String text, JsonMapper mapper, long maxBytes, int maxFamilies) {
        long bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            return new Refused("message_too_large", "a client message may have at most " + maxBytes + " bytes, this one had " + bytes);
        }
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JacksonException e) {
            return new Refused("malformed_message", "not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            return new Refused("malformed_message", "a client message must be a JSON object");
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isString()) {
            return new Refused("malformed_message", "field type is required and must be a string");
        }
        if (!"subscribe".equals(type.stringValue())) {
            return new Refused("unknown_message_type", "unknown type '" + abbreviate(type.stringValue()) + "'; known: subscribe");
        }
        Set<String> unknown = node.propertyNames().stream()
                .filter(name -> !Set.of("type", "family_ids", "min_severity").contains(name)).collect(Collectors.toSet());
        if (!unknown.isEmpty()) {
            return new Refused("malformed_message", "subscribe has unknown fields " + unknown.stream().map(ClientMessage::abbreviate).sorted().toList()
                    + "; known: family_ids, min_severity");
        }
        Set<String> families = null;
        JsonNode ids = node.get("family_ids");
        if (ids != null && !ids.isNull()) {
            if (!ids.isArray()) {
                return new Refused("malformed_message", "family_ids must be an array of strings");
            }
            if (ids.size() > maxFamilies) {
                return new Refused("filter_too_large", "family_ids may name at most " + maxFamilies + " families, this one named " + ids.size());
            }
            families = new LinkedHashSet<>();
            for (JsonNode id : ids) {
                if (!id.isString() || id.stringValue().isEmpty() || id.stringValue().length() > MAX_FAMILY_ID_LENGTH) {
                    return new Refused("malformed_message", "family_ids must hold strings of 1.." + MAX_FAMILY_ID_LENGTH + " characters");
                }
                families.add(id.stringValue());
            }
        }
        Severity minSeverity = null;
        JsonNode severity = node.get("min_severity");
        if (severity != null && !severity.isNull()) {
            String wire = severity.isString() ? severity.stringValue() : null;
            minSeverity = wire == null ? null : Severity.fromWireName(wire).orElse(null);
            if (minSeverity == null) {
                return new Refused("malformed_message", "min_severity must be one of "
                        + Arrays.stream(Severity.values()).map(Severity::wireName).toList());
            }
        }
        return new Subscribe(new Subscription(families, minSeverity));
    }

    /** Client text echoed in an error stays short. */
    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
