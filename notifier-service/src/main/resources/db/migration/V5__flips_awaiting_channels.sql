-- A flip that names a channel the notifier's view does not know yet (its record is still on its way)
-- waits here for that channel: when the channel arrives its deliveries are created, in the monitor's
-- flip order; when a tombstone arrives instead, the wait ends with none.
create table flip_awaiting_channel (
    channel_id    uuid        not null,
    flip_id       uuid        not null references flip (id),
    monitor_id    uuid        not null,
    flip_sequence bigint      not null,
    since         timestamptz not null,
    primary key (channel_id, flip_id)
);
