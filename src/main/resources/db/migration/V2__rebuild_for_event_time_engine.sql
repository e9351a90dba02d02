-- The event-time engine keeps each family's retained events as its state (a new encoding), and its
-- metrics cover every field of SPEC §3.1. Derived state from the walking skeleton cannot be upgraded in
-- place, so it is dropped: on the next start every partition is read again from the log and rebuilt.
truncate table family_operator_state, realtime_family_metrics, processed_events, stream_checkpoints,
               realtime_pattern_detections, realtime_event_counters, late_events;
