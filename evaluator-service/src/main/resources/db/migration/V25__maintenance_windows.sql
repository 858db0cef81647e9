-- Maintenance windows (issue 15, rule 5): the windows as JSON on the monitor (the admin API's shape, written and
-- read only by the evaluator), and the engine's position in them on the state row.
ALTER TABLE monitor ADD COLUMN maintenance text NOT NULL DEFAULT '[]';
ALTER TABLE monitor_state ADD COLUMN maintenance_from timestamptz;
