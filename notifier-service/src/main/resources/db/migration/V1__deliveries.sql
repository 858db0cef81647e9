-- The notifier's own schema: a view of the channels, the flips it has taken in, the deliveries
-- (one per flip, channel, kind and sequence), every attempt, and the storm/rate state every
-- notifier instance shares.

create table channel (
    id               uuid primary key,
    name             text        not null,
    type             text        not null,
    config           text        not null,   -- JSON, unmasked: never logged
    notify_on        text        not null,   -- comma separated statuses
    remind_every_ms  bigint,
    version          bigint      not null,
    deleted          boolean     not null default false,
    updated_at       timestamptz not null
);

create table flip (
    id              uuid primary key,
    monitor_id      uuid        not null,
    sequence        bigint      not null,
    status          text        not null,
    previous_status text,
    payload         text        not null,     -- the MonitorFlipped event as JSON
    received_at     timestamptz not null
);
create index flip_by_monitor on flip (monitor_id, sequence);

create table delivery (
    id               uuid primary key,
    flip_id          uuid,
    monitor_id       uuid,
    channel_id       uuid        not null,
    channel_type     text        not null,
    kind             text        not null,   -- alert, reminder, digest, notice, test
    seq              integer     not null,
    flip_sequence    bigint      not null,
    flip_status      text,
    status           text        not null,   -- PENDING, HELD, SENT, FAILED, CANCELLED
    digest_id        uuid,
    created_at       timestamptz not null,
    next_attempt_at  timestamptz not null,
    lease_until      timestamptz,
    attempt_count    integer     not null default 0,
    first_attempt_at timestamptz,
    last_attempt_at  timestamptz,
    last_http_status integer,
    last_error       text
);
create unique index delivery_once on delivery (flip_id, channel_id, kind, seq);
create index delivery_due on delivery (next_attempt_at) where status = 'PENDING';
create index delivery_open_by_target on delivery (monitor_id, channel_id, flip_sequence) where status in ('PENDING', 'HELD');
create index delivery_by_monitor_channel on delivery (monitor_id, channel_id, kind);
create index delivery_by_digest on delivery (digest_id) where digest_id is not null;

create table attempt (
    id           uuid primary key,
    delivery_id  uuid        not null references delivery (id),
    at           timestamptz not null,
    outcome      text        not null,       -- delivered, retry, failed
    http_status  integer,
    error        text,
    duration_ms  bigint      not null
);
create index attempt_by_delivery on attempt (delivery_id);

-- Per target (a Slack webhook, a Teams webhook, a webhook URL, an email channel): the earliest
-- time the next message may go, shared by every notifier instance.
create table target_rate (
    target          text primary key,
    next_allowed_at timestamptz not null
);

-- Per Slack/Teams/email channel: the current storm window and its digest, if one was opened.
create table storm_window (
    channel_id   uuid primary key,
    window_start timestamptz not null,
    alert_count  integer     not null,
    digest_id    uuid
);
