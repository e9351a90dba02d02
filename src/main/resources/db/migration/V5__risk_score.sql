-- SPEC §3.7: each family's risk score from the configured model, the features that raise it most, and
-- which model made it.
alter table realtime_family_metrics
    add column risk_score    numeric(5, 4),
    add column risk_factors  text,
    add column model_version text;
comment on column realtime_family_metrics.risk_factors is 'up to three feature names, largest contribution first, comma-separated';
