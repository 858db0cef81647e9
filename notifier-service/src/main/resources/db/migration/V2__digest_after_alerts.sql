-- The order deliveries were created in (several share one timestamp when a batch of flips is taken
-- in together): a digest waits for the alerts of its channel created before it, which go first.
alter table delivery add column position bigserial;
create index delivery_pending_by_channel on delivery (channel_id, position) where status = 'PENDING';

-- When the last message actually left for a target: claims reserve a slot, and the send itself
-- re-checks this stamp, so a send delayed after its claim never lands closer than the limit.
alter table target_rate add column last_sent_at timestamptz;
