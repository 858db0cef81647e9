-- What the Healthchecks-compatible management API (/hc/api/v1..v3) keeps of a check beyond Vigil's monitor fields.
-- A table of its own, beside monitor: the engine's state table stays narrow, and a monitor made through /api/v1 simply
-- has no row (every field then has Healthchecks' default). The email-filtering fields are stored and returned only.
CREATE TABLE hc_check (
    monitor_id          uuid    PRIMARY KEY REFERENCES monitor (id) ON DELETE CASCADE,
    methods             text    NOT NULL DEFAULT '' CHECK (methods IN ('', 'POST')),
    tags                text    NOT NULL DEFAULT '',
    tz                  text    NOT NULL DEFAULT 'UTC',
    timeout_s           bigint  NOT NULL DEFAULT 86400,
    schedule            text    NOT NULL DEFAULT '* * * * *',
    start_kw            text    NOT NULL DEFAULT '',
    success_kw          text    NOT NULL DEFAULT '',
    failure_kw          text    NOT NULL DEFAULT '',
    filter_subject      boolean NOT NULL DEFAULT false,
    filter_body         boolean NOT NULL DEFAULT false,
    filter_http_body    boolean NOT NULL DEFAULT false,
    filter_default_fail boolean NOT NULL DEFAULT false
);

-- The ping applier asks which monitors of a batch take POST pings only; few do.
CREATE INDEX hc_check_post_only ON hc_check (monitor_id) WHERE methods = 'POST';
