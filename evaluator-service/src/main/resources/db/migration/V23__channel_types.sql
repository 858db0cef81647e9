-- The channel types are defined in one place, io.vigil.contracts.ChannelType; the column no longer repeats the list.
ALTER TABLE channel DROP CONSTRAINT IF EXISTS channel_type_check;
