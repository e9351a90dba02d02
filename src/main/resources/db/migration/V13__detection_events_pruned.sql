-- detection_events, the log SSE clients resume from, keeps changes for pulse.live.sse-retention; older ones are
-- deleted. The highest number deleted is kept here, so that a client resuming from before it is told it missed
-- changes (event: resync) instead of silently skipping them.
create table detection_events_pruned (
    singleton boolean primary key default true check (singleton),
    through   bigint  not null
);
