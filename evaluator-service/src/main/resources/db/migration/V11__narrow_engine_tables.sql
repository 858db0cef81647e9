-- The engine's hot rows get narrow tables with few indexes.
--
-- Every applied ping rewrites its monitor's state with a new next_alert_at, an indexed column, so
-- PostgreSQL writes a new row version and an entry in every index of the table. In `monitor` that was 7
-- indexes (key, slug, token, token hash, sweep, created, tags); the state now lives in `monitor_state`,
-- whose only indexes are its key and the sweep's. Hibernate maps both tables onto the one Monitor entity.

CREATE TABLE monitor_state (
    id               uuid PRIMARY KEY REFERENCES monitor (id) ON DELETE CASCADE,
    kafka_partition  int         NOT NULL,         -- partition of vigil.pings.v1 its pings travel on
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
    last_finish_at   timestamptz,                  -- newest applied success/fail
    lifecycle_at     timestamptz,                  -- last pause/resume: older pings change no state
    last_flip_at     timestamptz                   -- at of the newest flip
);

INSERT INTO monitor_state (id, kafka_partition, status, running, run_started_at, run_rid, last_ping_at,
                           last_success_at, last_duration_ms, ping_count, due_at, next_alert_at, down_since,
                           paused_at, last_body, flip_sequence, last_finish_at, lifecycle_at, last_flip_at)
SELECT id, kafka_partition, status, running, run_started_at, run_rid, last_ping_at,
       last_success_at, last_duration_ms, ping_count, due_at, next_alert_at, down_since,
       paused_at, last_body, flip_sequence, last_finish_at, lifecycle_at, last_flip_at
FROM monitor;

CREATE INDEX monitor_state_sweep_idx ON monitor_state (kafka_partition, next_alert_at) WHERE next_alert_at IS NOT NULL;

DROP INDEX monitor_sweep_idx;
ALTER TABLE monitor
    DROP COLUMN kafka_partition, DROP COLUMN status, DROP COLUMN running, DROP COLUMN run_started_at,
    DROP COLUMN run_rid, DROP COLUMN last_ping_at, DROP COLUMN last_success_at, DROP COLUMN last_duration_ms,
    DROP COLUMN ping_count, DROP COLUMN due_at, DROP COLUMN next_alert_at, DROP COLUMN down_since,
    DROP COLUMN paused_at, DROP COLUMN last_body, DROP COLUMN flip_sequence, DROP COLUMN last_finish_at,
    DROP COLUMN lifecycle_at, DROP COLUMN last_flip_at;

-- Ping history: the ring buffer's key is its only index, so rewriting a slot is an in-place (HOT) update
-- when the page has room. A redelivered ping is recognised by the partition offsets stored with it
-- (DESIGN.md), not by its event id; the newest-first listing reads one monitor's at most N rows by key.
DROP INDEX ping_event_idx;
DROP INDEX ping_monitor_n_idx;
ALTER TABLE ping SET (fillfactor = 70);
