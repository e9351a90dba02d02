-- A counter row is final when its partition's watermark reaches its window's end (SPEC §2). That is read off the
-- watermark stored with every checkpoint (stream_checkpoints) instead of being written into each row as its window
-- closes, which rewrote every row of a minute in the one checkpoint that crossed the minute's end.
alter table realtime_event_counters drop column is_final;
