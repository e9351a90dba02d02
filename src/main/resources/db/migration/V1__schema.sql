-- Pulse schema (SPEC §3, §3.4). Hot upsert tables leave room on each page (fillfactor) so that
-- updates can stay on the same page (HOT updates) and skip index maintenance.

-- §3.1: one row per family. alert_rank orders levels (none 0 < watch 1 < warning 2 < critical 3)
-- so that "most severe first" is an index scan, not a CASE over every row.
create table realtime_family_metrics (
    family_id                 text primary key,
    kafka_partition           integer      not null,
    current_engagement_score  integer,
    engagement_trend          text         not null default 'stable'
        check (engagement_trend in ('rising', 'stable', 'declining')),
    engagement_change_7_days  integer      not null default 0,
    engagement_7_day_avg      numeric(6, 2),
    engagement_30_day_avg     numeric(6, 2),
    events_last_7_days        integer      not null default 0,
    logins_last_7_days        integer      not null default 0,
    payments_last_7_days      integer      not null default 0,
    alert_level               text         not null default 'none'
        check (alert_level in ('none', 'watch', 'warning', 'critical')),
    alert_rank                smallint     not null default 0,
    alert_reason              text,
    alert_since               timestamptz,
    events_processed          bigint       not null default 0,
    last_event_timestamp      timestamptz,
    as_of                     timestamptz,
    last_updated              timestamptz  not null
) with (fillfactor = 80);

create index realtime_family_metrics_severity on realtime_family_metrics (alert_rank desc, current_engagement_score, family_id);
create index realtime_family_metrics_score on realtime_family_metrics (current_engagement_score, family_id);
create index realtime_family_metrics_last_event on realtime_family_metrics (last_event_timestamp desc, family_id);

-- §3.2: one row per (family, window kind, size, event type, window start).
create table realtime_event_counters (
    family_id     text         not null,
    window_type   text         not null check (window_type in ('tumbling', 'sliding', 'session', 'count')),
    window_size   text         not null,
    event_type    text         not null,
    window_start  timestamptz  not null,
    window_end    timestamptz  not null,
    event_count   bigint       not null,
    sum_value     numeric,
    avg_value     numeric,
    min_value     numeric,
    max_value     numeric,
    is_final      boolean      not null default false,
    updated_at    timestamptz  not null,
    primary key (family_id, window_type, window_size, event_type, window_start)
) with (fillfactor = 80);

create index realtime_event_counters_family_time on realtime_event_counters (family_id, window_start desc);

-- §3.3 and §7: one detection per (pattern, family, anchor); retracted ones stay with their status.
create table realtime_pattern_detections (
    detection_id    text          primary key,
    pattern         text          not null,
    family_id       text          not null,
    anchor          text          not null,
    severity        text          not null check (severity in ('info', 'watch', 'warning', 'critical')),
    severity_rank   smallint      not null,
    confidence      numeric(4, 3) not null,
    matched_events  jsonb         not null,
    details         jsonb,
    status          text          not null default 'active' check (status in ('active', 'retracted')),
    rule_version    integer,
    detected_at     timestamptz   not null,
    created_at      timestamptz   not null,
    updated_at      timestamptz,
    retracted_at    timestamptz,
    action_type     text,
    action_result   text,
    actioned_at     timestamptz,
    unique (pattern, family_id, anchor)
);

create index realtime_pattern_detections_newest on realtime_pattern_detections (detected_at desc, detection_id desc);
create index realtime_pattern_detections_family on realtime_pattern_detections (family_id, detected_at desc);

-- §3.4: one row per consumer group and partition; the offset here, not Kafka's, is where a partition resumes.
create table stream_checkpoints (
    consumer_group          text         not null,
    topic                   text         not null,
    kafka_partition         integer      not null,
    last_offset             bigint,
    last_event_id           text,
    last_event_timestamp    timestamptz,
    events_processed_total  bigint       not null default 0,
    duplicates_dropped      bigint       not null default 0,
    dead_lettered           bigint       not null default 0,
    late_events             bigint       not null default 0,
    processing_lag_seconds  double precision,
    stream_time             timestamptz,
    watermark               timestamptz,
    status                  text         not null default 'running' check (status in ('running', 'stopped', 'error')),
    last_error              text,
    owner_instance          text,
    owner_epoch             bigint       not null default 0,
    updated_date            timestamptz  not null,
    primary key (consumer_group, topic, kafka_partition)
);

-- §2: late arrivals, one row per window an event missed.
create table late_events (
    id               bigint generated always as identity primary key,
    event_id         text         not null,
    family_id        text         not null,
    event_type       text         not null,
    event_timestamp  timestamptz  not null,
    window_type      text,
    window_size      text,
    window_start     timestamptz,
    window_end       timestamptz,
    watermark        timestamptz  not null,
    kafka_partition  integer      not null,
    kafka_offset     bigint       not null,
    recorded_at      timestamptz  not null
);

create index late_events_family on late_events (family_id, event_timestamp);

-- §1.4: every processed event id, written in the same transaction as the projections it changed,
-- so a duplicate is recognised for the life of the data, not of a cache.
create table processed_events (
    event_id         text         primary key,
    kafka_partition  integer      not null,
    kafka_offset     bigint       not null,
    event_timestamp  timestamptz  not null,
    processed_at     timestamptz  not null
);

-- Keyed operator state per family, written with the projections of the same micro-batch and read
-- back when a family's partition is (re)assigned. The encoding is versioned by its first byte.
create table family_operator_state (
    family_id        text         primary key,
    kafka_partition  integer      not null,
    state            bytea        not null,
    updated_at       timestamptz  not null
) with (fillfactor = 80);
