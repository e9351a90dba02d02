-- Trending (SPEC §3.5) adds up the tumbling counter rows of a time range across every family, about once a
-- second while windows close: without this it would scan the whole table each time. Partial, so sliding,
-- session and count rows pay nothing; and window_start never changes on upsert, so updates stay HOT.
create index realtime_event_counters_tumbling_window
    on realtime_event_counters (window_size, window_start)
    where window_type = 'tumbling';
