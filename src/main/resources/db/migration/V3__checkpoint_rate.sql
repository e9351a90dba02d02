-- SPEC §4, §5.1: GET /api/stream/status answers each partition's recent throughput from any instance, so
-- the owning pipeline stores it with every checkpoint (records consumed per second over its recent window).
-- Ownership (owner_instance, owner_epoch) exists since V1; a partition's row is now inserted when it is
-- claimed, before its first checkpoint, so last_offset stays null until then.
alter table stream_checkpoints add column events_per_second double precision;
