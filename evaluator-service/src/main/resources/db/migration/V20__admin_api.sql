-- Admin API: keys, channels, the installation's badge key, and notifications reported by the notifier.

CREATE TABLE api_key (
    id         uuid PRIMARY KEY,
    name       text        NOT NULL,
    access     text        NOT NULL CHECK (access IN ('full', 'read-only')),
    key_hash   text        NOT NULL UNIQUE,   -- SHA-256 hex of the secret; the secret itself is never stored
    created_at timestamptz NOT NULL
);
CREATE INDEX api_key_created_idx ON api_key (created_at, id);

CREATE TABLE channel (
    id              uuid PRIMARY KEY,
    name            text        NOT NULL,
    type            text        NOT NULL CHECK (type IN ('EMAIL', 'SLACK', 'TEAMS', 'WEBHOOK')),
    config          text        NOT NULL,     -- the type's settings as JSON, unmasked
    notify_on       text[]      NOT NULL,
    remind_every_ms bigint,
    version         bigint      NOT NULL,     -- grows with every change; orders vigil.channels.v1 records
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX channel_created_idx ON channel (created_at, id);

-- One row: per-installation secrets. badge_key makes badge URLs unguessable.
CREATE TABLE installation (
    id         int PRIMARY KEY CHECK (id = 1),
    badge_key  text        NOT NULL,
    created_at timestamptz NOT NULL
);

-- A notification the notifier sent or tried to send (one per delivery), with every attempt.
CREATE TABLE notification (
    id           uuid PRIMARY KEY,            -- the notifier's delivery id
    monitor_id   uuid,                        -- null for a channel test
    flip_id      uuid,
    channel_id   uuid,
    channel_type text,
    kind         text        NOT NULL,
    status       text        NOT NULL,
    last_at      timestamptz NOT NULL,        -- the newest attempt's time: the status is its status
    created_at   timestamptz NOT NULL
);
CREATE INDEX notification_monitor_idx ON notification (monitor_id, created_at DESC, id DESC);

CREATE TABLE notification_attempt (
    event_id        uuid PRIMARY KEY,         -- DeliveryAttempted.eventId: a redelivered record changes nothing
    notification_id uuid        NOT NULL REFERENCES notification (id) ON DELETE CASCADE,
    at              timestamptz NOT NULL,
    outcome         text        NOT NULL,
    http_status     int,
    error           text,
    duration_ms     bigint      NOT NULL
);
CREATE INDEX notification_attempt_idx ON notification_attempt (notification_id, at);
