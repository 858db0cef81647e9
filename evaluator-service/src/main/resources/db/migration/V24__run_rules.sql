-- Monitor rules of issue 15 (README, "Monitor rules"): failure and recovery thresholds, a shortest run, a shortest
-- interval between successes, manual resume; and snooze (a pause with an end). Defaults keep every existing
-- monitor's behaviour: thresholds 1, no minimums, automatic recovery, pauses without an end.
ALTER TABLE monitor
    ADD COLUMN failure_threshold  int     NOT NULL DEFAULT 1 CHECK (failure_threshold BETWEEN 1 AND 100),
    ADD COLUMN recovery_threshold int     NOT NULL DEFAULT 1 CHECK (recovery_threshold BETWEEN 1 AND 100),
    ADD COLUMN min_runtime_ms     bigint,
    ADD COLUMN min_interval_ms    bigint,
    ADD COLUMN manual_resume      boolean NOT NULL DEFAULT false;

ALTER TABLE monitor_state
    ADD COLUMN consecutive_failures  int NOT NULL DEFAULT 0,
    ADD COLUMN consecutive_successes int NOT NULL DEFAULT 0,
    ADD COLUMN paused_until          timestamptz;
