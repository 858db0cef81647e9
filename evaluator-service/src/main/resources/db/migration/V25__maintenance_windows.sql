-- Maintenance windows (issue 15, rule 5): the windows as JSON on the monitor (the admin API's shape, written and
-- read only by the evaluator), and the engine's position in them on the state row.
ALTER TABLE monitor ADD COLUMN maintenance text NOT NULL DEFAULT '[]';
ALTER TABLE monitor_state ADD COLUMN maintenance_from timestamptz;
-- Existing monitors take windows from the upgrade on, as a monitor created now does. (Left NULL, the first PUT or
-- PATCH would set it together with the monitor's own columns, and Hibernate then wrote only the state row: the
-- change was lost. AutoProvisioningTest caught it on an auto-created monitor.)
UPDATE monitor_state SET maintenance_from = now() WHERE maintenance_from IS NULL;
