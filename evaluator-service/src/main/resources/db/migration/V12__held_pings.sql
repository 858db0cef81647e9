-- Pings held until their partition's watermark passes them.
--
-- A ping received after its monitor's next deadline (due time, due + grace, or a run's limit), applied while
-- the partition's watermark is still before the ping, cannot yet say whether that deadline was missed: a ping
-- received before the deadline may still be on its way from another ingest instance. Applying it at once would
-- erase the outage; it waits here (its offset is consumed, so it is durable) and is applied, with the missed
-- LATE and DOWN first, as soon as the watermark passes it. Normally that is a fraction of a second.
CREATE TABLE held_ping (
    kafka_partition int         NOT NULL,
    kafka_offset    bigint      NOT NULL,
    monitor_id      uuid        NOT NULL REFERENCES monitor (id) ON DELETE CASCADE,
    received_at     timestamptz NOT NULL,
    record          bytea       NOT NULL,      -- the PingReceived as it was on vigil.pings.v1
    PRIMARY KEY (kafka_partition, kafka_offset)
);
CREATE INDEX held_ping_monitor_idx ON held_ping (monitor_id);
