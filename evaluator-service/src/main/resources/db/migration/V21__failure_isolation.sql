-- One failure policy (DESIGN.md): a record that cannot be parsed is set aside here, visibly; a monitor whose
-- pings cannot be applied is put in an error state instead of holding its partition.

-- Why the engine cannot evaluate the monitor (for example a schedule with no next tick), and since when; null
-- while it is healthy. Its pings wait in held_ping until a change to the monitor clears the error.
ALTER TABLE monitor_state ADD COLUMN error_text text, ADD COLUMN error_at timestamptz;

-- Records of a topic that cannot be parsed. Unique by position, so a redelivered record is stored once.
CREATE TABLE dead_letter (
    id              bigserial   PRIMARY KEY,
    topic           text        NOT NULL,
    kafka_partition int         NOT NULL,
    kafka_offset    bigint      NOT NULL,
    record_key      text,
    value           bytea,
    error           text        NOT NULL,
    recorded_at     timestamptz NOT NULL,
    UNIQUE (topic, kafka_partition, kafka_offset)
);
