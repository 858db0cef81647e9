-- Public status pages (issue 13): a titled selection of monitors, shown without an API key at /status/{slug}.
-- monitor_ids lists monitors explicitly, tags adds every monitor with any of them (the union is shown); like a
-- monitor's channel_ids, a deleted monitor's id may linger here and is skipped wherever the page is read.
CREATE TABLE status_page (
    id          uuid PRIMARY KEY,
    slug        text        NOT NULL UNIQUE,
    title       text        NOT NULL,
    description text,
    monitor_ids uuid[]      NOT NULL DEFAULT '{}',
    tags        text[]      NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX status_page_created_idx ON status_page (created_at, id);
