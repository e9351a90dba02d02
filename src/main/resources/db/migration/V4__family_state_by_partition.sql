-- A partition's families are all restored when it is assigned (SPEC §4): read them by partition.
create index family_operator_state_partition on family_operator_state (kafka_partition);
