-- Monitors: configuration (written by the admin API) and state (written by the engine).
CREATE TABLE monitor (
    id               uuid PRIMARY KEY,
    name             text        NOT NULL,
    slug             text        NOT NULL UNIQUE,
    description      text,
    tags             text[]      NOT NULL DEFAULT '{}',
    schedule_type    text        NOT NULL CHECK (schedule_type IN ('interval', 'cron')),
    every_ms         bigint,                       -- interval schedules
    cron_expression  text,                         -- cron schedules
    timezone         text,                         -- cron schedules
    grace_ms         bigint      NOT NULL,
    max_runtime_ms   bigint,
    channel_ids      uuid[]      NOT NULL DEFAULT '{}',
    token            text        NOT NULL UNIQUE,  -- shown in the ping URL to full keys only
    token_hash       text        NOT NULL UNIQUE,  -- the only form that travels on Kafka
    system           boolean     NOT NULL DEFAULT false, -- the reserved vigil-pipeline monitor

    status           text        NOT NULL DEFAULT 'NEW',
    running          boolean     NOT NULL DEFAULT false,
    run_started_at   timestamptz,
    run_rid          uuid,
    last_ping_at     timestamptz,                  -- received-at of the newest applied ping
    last_success_at  timestamptz,
    last_duration_ms bigint,
    ping_count       bigint      NOT NULL DEFAULT 0,
    due_at           timestamptz,                  -- next due time without grace; null when nothing is expected
    next_alert_at    timestamptz,                  -- when the sweep must look next; null when never
    down_since       timestamptz,
    paused_at        timestamptz,
    last_body        text,                         -- the last ping body as text, at most 1000 characters
    flip_sequence    bigint      NOT NULL DEFAULT 0,
    kafka_partition  int         NOT NULL,         -- partition of vigil.pings.v1 its pings travel on
    version          bigint      NOT NULL DEFAULT 1,  -- grows with every change; orders registry records
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

CREATE INDEX monitor_sweep_idx ON monitor (kafka_partition, next_alert_at) WHERE next_alert_at IS NOT NULL;
CREATE INDEX monitor_created_idx ON monitor (created_at, id);
CREATE INDEX monitor_tags_idx ON monitor USING gin (tags);

-- Events written in the same transaction as the change that caused them, relayed to Kafka in id order.
CREATE TABLE outbox (
    id         bigserial PRIMARY KEY,
    topic      text        NOT NULL,
    record_key text        NOT NULL,
    payload    bytea,                              -- null is a tombstone
    created_at timestamptz NOT NULL DEFAULT now()
);
