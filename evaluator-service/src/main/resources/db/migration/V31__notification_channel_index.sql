-- The console's channels page shows each channel's newest failed delivery: find a channel's notifications by index,
-- not by scanning every notification.
CREATE INDEX notification_channel_idx ON notification (channel_id);
