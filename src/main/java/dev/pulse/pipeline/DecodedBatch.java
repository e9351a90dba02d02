package dev.pulse.pipeline;

import dev.pulse.event.Event;
import dev.pulse.event.Rejection;
import dev.pulse.event.Validated;
import dev.pulse.ingest.EventJson;
import dev.pulse.ingest.kafka.DeadLetterHeaders;
import dev.pulse.ingest.kafka.LogRecord;
import dev.pulse.ingest.kafka.OutgoingRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One micro-batch of a partition's records, decoded: the first occurrence of each event id with its
 * offset, the dead letters of records that are not valid events, and how many in-batch repeats were
 * dropped.
 */
record DecodedBatch(int partition,
                    long lastOffset,
                    List<Event> events,
                    List<Long> offsets,
                    List<OutgoingRecord> deadLetters,
                    int repeatsInBatch) {

    /** The offset of each distinct event of the batch, by event id. */
    Map<String, Long> offsetsById() {
        Map<String, Long> byId = new java.util.HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            byId.put(events.get(i).eventId(), offsets.get(i));
        }
        return byId;
    }

    static DecodedBatch decode(int partition, List<LogRecord> records, EventJson json) {
        Map<String, Event> firstById = new LinkedHashMap<>();
        Map<String, Long> offsetById = new LinkedHashMap<>();
        List<OutgoingRecord> deadLetters = new ArrayList<>();
        int repeats = 0;
        for (LogRecord record : records) {
            Validated validated = validate(record, json);
            if (validated instanceof Validated.Valid valid) {
                Event event = valid.event();
                if (firstById.putIfAbsent(event.eventId(), event) == null) {
                    offsetById.put(event.eventId(), record.offset());
                } else {
                    repeats++;
                }
            } else {
                deadLetters.add(deadLetter(record, ((Validated.Invalid) validated).rejection()));
            }
        }
        long lastOffset = records.get(records.size() - 1).offset();
        return new DecodedBatch(partition, lastOffset, List.copyOf(firstById.values()),
                List.copyOf(offsetById.values()), List.copyOf(deadLetters), repeats);
    }

    private static Validated validate(LogRecord record, EventJson json) {
        if (record.value() == null) {
            return new Validated.Invalid(new Rejection("record", "must not be empty (null value)"));
        }
        try {
            return json.decode(record.value());
        } catch (EventJson.MalformedJsonException e) {
            return new Validated.Invalid(new Rejection("record", "not valid JSON: " + e.getMessage()));
        }
    }

    private static OutgoingRecord deadLetter(LogRecord record, Rejection rejection) {
        return new OutgoingRecord(record.key(), record.value() == null ? new byte[0] : record.value(), Map.of(
                DeadLetterHeaders.ERROR, rejection.message(),
                DeadLetterHeaders.SOURCE_TOPIC, record.topic(),
                DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(record.partition()),
                DeadLetterHeaders.SOURCE_OFFSET, Long.toString(record.offset())));
    }
}
