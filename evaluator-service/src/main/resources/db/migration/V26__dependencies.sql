-- Dependencies (issue 15, rule 6): a monitor's parents, flips whose alerts a parent held, and held notifications.

-- The monitors this one depends on, in the order given; ids of deleted monitors are removed with them.
ALTER TABLE monitor ADD COLUMN depends_on uuid[] NOT NULL DEFAULT '{}';
CREATE INDEX monitor_depends_on_idx ON monitor USING gin (depends_on);

-- The parent that was LATE or DOWN when this LATE or DOWN was recorded: its alerts were held.
ALTER TABLE flip ADD COLUMN suppressed_by uuid;
-- A held DOWN whose alert has not been sent yet: it is sent once no parent is LATE or DOWN, if the monitor is still
-- DOWN from this flip; cleared then (released_at set when it was sent), or when the monitor has moved on.
ALTER TABLE flip ADD COLUMN held boolean NOT NULL DEFAULT false;
ALTER TABLE flip ADD COLUMN released_at timestamptz;
CREATE INDEX flip_held_idx ON flip (monitor_id) WHERE held;

-- A notification the notifier held (status SUPPRESSED): the parent that held it.
ALTER TABLE notification ADD COLUMN suppressed_by uuid;
