-- SPEC §4.1 rule changes: every version of the rule set, who made it and when; exactly one is active.
-- rule_set is the declarative form of GET /api/rules ({"patterns": [...]}, dev.pulse.rules.RuleSetForm).
-- source tells a version taken from the configuration (pulse.rules) at start from one made by PUT /api/rules:
-- at start the configuration becomes a new version only when it differs from the last configured one.
create table rule_set_versions (
    version     bigint       primary key check (version >= 1),
    rule_set    jsonb        not null,
    label       text,
    source      text         not null check (source in ('configuration', 'api')),
    changed_by  text         not null,
    changed_at  timestamptz  not null,
    active      boolean      not null default false
);
create unique index rule_set_versions_one_active on rule_set_versions (active) where active;

-- Each detection names the rule version that produced (or last updated or retracted) it; null for rows
-- written before versions existed. V1 reserved the column (integer, never written); it takes the versions' type.
alter table realtime_pattern_detections alter column rule_version type bigint;
alter table detection_events add column rule_version bigint;
