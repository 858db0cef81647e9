-- Delivery outcomes (DeliveryAttempted) written in the same transaction as the attempt that caused
-- them, relayed to vigil.deliveries.v1 in id order and deleted once the broker acknowledged them.
create table outbox (
    id         bigserial primary key,
    topic      text        not null,
    record_key text        not null,
    payload    bytea       not null,
    created_at timestamptz not null default now()
);
