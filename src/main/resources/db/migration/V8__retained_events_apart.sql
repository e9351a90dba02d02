-- A family's retained events are stored one row each, written once when the engine retains an event and
-- deleted when it prunes it, instead of inside family_operator_state.state, which every checkpoint rewrote
-- whole for every family its batch touched (about 30 KB a family after a day of a backfill): a checkpoint
-- now writes what changed. family_operator_state keeps the family's small head (figures, carry, rule state,
-- windows); heads of the old encoding, which still hold their events, are read and converted on restore.
--
-- Keyed by partition and event time: a partition's rows are read together when it is assigned (SPEC §4),
-- pruning deletes one range of event times per partition (every family of a partition is pruned to the same
-- horizon), and inserts land at the right-hand edge of the index, since event time mostly grows.
create table family_retained_events (
    kafka_partition  integer  not null,
    event_ms         bigint   not null,
    event_id         text     not null,
    family_id        text     not null,
    event            bytea    not null,
    primary key (kafka_partition, event_ms, event_id)
);
