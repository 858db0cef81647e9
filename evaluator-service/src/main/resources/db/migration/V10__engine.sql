-- The monitor engine: state ordering columns, flips, ping history, consumed offsets and watermarks.

ALTER TABLE monitor ADD COLUMN last_finish_at timestamptz;  -- newest applied success/fail
ALTER TABLE monitor ADD COLUMN lifecycle_at   timestamptz;  -- last pause/resume: older pings change no state
ALTER TABLE monitor ADD COLUMN last_flip_at   timestamptz;  -- at of the newest flip

-- Every status change (API.md section 2), served newest first by GET /monitors/{id}/flips.
CREATE TABLE flip (
    id          uuid PRIMARY KEY,
    monitor_id  uuid        NOT NULL REFERENCES monitor (id) ON DELETE CASCADE,
    sequence    bigint      NOT NULL,
    at          timestamptz NOT NULL,
    detected_at timestamptz NOT NULL,
    from_status text        NOT NULL,
    to_status   text        NOT NULL,
    reason      text        NOT NULL,
    reason_text text        NOT NULL,
    UNIQUE (monitor_id, sequence)
);
CREATE INDEX flip_monitor_at_idx ON flip (monitor_id, at DESC, sequence DESC);

-- Ping history: a ring buffer of the newest N pings per monitor (slot = n mod N, upserted).
CREATE TABLE ping (
    monitor_id   uuid        NOT NULL REFERENCES monitor (id) ON DELETE CASCADE,
    slot         int         NOT NULL,
    n            bigint      NOT NULL,             -- 1, 2, 3... per monitor
    event_id     uuid        NOT NULL,             -- PingReceived.eventId: a redelivered ping is recognised
    type         text        NOT NULL,             -- success | start | fail | log
    exit_status  int,
    rid          uuid,
    received_at  timestamptz NOT NULL,
    method       text,
    scheme       text,
    remote_addr  text,
    user_agent   text,
    content_type text,
    body         bytea,
    body_size    bigint      NOT NULL DEFAULT 0,
    duration_ms  bigint,                           -- on a finish that closed a run
    ignored      boolean     NOT NULL DEFAULT false, -- applied out of order and changed no state
    PRIMARY KEY (monitor_id, slot)
);
CREATE INDEX ping_monitor_n_idx ON ping (monitor_id, n DESC);
CREATE INDEX ping_event_idx ON ping (event_id);

-- Per partition of vigil.pings.v1: the next offset to apply and the stored watermark, written in the
-- same transaction as the pings applied.
CREATE TABLE partition_offset (
    kafka_partition        int PRIMARY KEY,
    next_offset            bigint      NOT NULL,
    watermark              timestamptz,          -- oldest among live ingest leases; every ping before it is applied
    watermark_advanced_at  timestamptz,          -- evaluator clock when the watermark last moved
    updated_at             timestamptz NOT NULL
);

-- The newest watermark of each ingest instance per partition, with its lease.
CREATE TABLE ingest_lease (
    kafka_partition  int         NOT NULL,
    ingest_id        text        NOT NULL,
    watermark        timestamptz NOT NULL,
    lease_expires_at timestamptz NOT NULL,
    PRIMARY KEY (kafka_partition, ingest_id)
);
