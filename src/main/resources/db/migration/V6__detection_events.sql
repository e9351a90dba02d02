-- SPEC §5.2: the SSE id of a detection change. One row per committed change (emitted, updated, retracted),
-- a copy of the detection as that change left it, numbered by a sequence that survives restarts and is
-- shared by every instance. The checkpoint transaction takes a transaction-level advisory lock before it
-- draws numbers, so numbers are drawn in commit order: a reader that sees number n has every committed
-- number below n visible too, and resuming "after n" never skips a change (rolled-back numbers are gaps).
create table detection_events (
    seq             bigserial     primary key,
    change          text          not null check (change in ('emitted', 'updated', 'retracted')),
    detection_id    text          not null,
    pattern         text          not null,
    family_id       text          not null,
    anchor          text          not null,
    severity        text          not null,
    severity_rank   smallint      not null,
    confidence      numeric(4, 3) not null,
    matched_events  jsonb         not null,
    details         jsonb,
    status          text          not null,
    detected_at     timestamptz   not null,
    created_at      timestamptz   not null,
    updated_at      timestamptz,
    retracted_at    timestamptz,
    action_type     text,
    action_result   text,
    actioned_at     timestamptz,
    committed_at    timestamptz   not null
);
