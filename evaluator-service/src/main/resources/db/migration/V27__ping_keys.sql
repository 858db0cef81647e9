-- Ping keys (Healthchecks' slug URLs, /ping/{ping-key}/{slug}): only the SHA-256 of the key is stored, like
-- ping tokens; the key is shown once, when it is created. The defaults are what a monitor auto-created by a
-- ?create=1 ping gets, checked as a monitor create checks them.
CREATE TABLE ping_key (
    id              uuid PRIMARY KEY,
    name            text        NOT NULL,
    key_hash        text        NOT NULL UNIQUE,  -- the only form that is stored and travels on vigil.monitors.v1
    schedule_type   text        NOT NULL CHECK (schedule_type IN ('interval', 'cron')),
    every_ms        bigint,
    cron_expression text,
    timezone        text,
    grace_ms        bigint      NOT NULL,
    tags            text[]      NOT NULL DEFAULT '{}',
    channel_ids     uuid[]      NOT NULL DEFAULT '{}',
    version         bigint      NOT NULL DEFAULT 1, -- orders the key's records on vigil.monitors.v1
    created_at      timestamptz NOT NULL
);
CREATE INDEX ping_key_created_idx ON ping_key (created_at, id);
