-- Records of vigil.flips.v1 and vigil.channels.v1 that cannot be parsed: set aside here (counted in
-- /q/metrics, listed by the internal API) instead of holding their partition. Nothing else is ever set
-- aside: every other failure is retried. One row per record, whichever notifier instance read it.
create table dead_letter (
    id              bigserial primary key,
    topic           text        not null,
    kafka_partition integer     not null,
    record_offset   bigint      not null,
    record_key      text,
    payload         bytea,                -- as read; may hold a channel's unmasked config: never logged
    reason          text        not null,
    received_at     timestamptz not null
);
create unique index dead_letter_once on dead_letter (topic, kafka_partition, record_offset);
