-- Badges (README, security): each monitor and each tag has an unguessable badge id of its own, instead of one
-- installation-wide badge key in front of a guessable slug. Existing rows get random ids here (gen_random_uuid
-- draws from the server's strong random source; two of them give 244 random bits).
ALTER TABLE monitor ADD COLUMN badge_id text;
UPDATE monitor SET badge_id = replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
ALTER TABLE monitor ALTER COLUMN badge_id SET NOT NULL;
CREATE UNIQUE INDEX monitor_badge_id_idx ON monitor (badge_id);

-- A tag's badge id, made when a monitor first carries the tag; kept when no monitor has it any more (its badge is
-- then 404), so the tag's badge URL is the same when the tag comes back.
CREATE TABLE tag_badge (
    tag      text PRIMARY KEY,
    badge_id text NOT NULL UNIQUE
);
INSERT INTO tag_badge (tag, badge_id)
SELECT tag, replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
FROM (SELECT DISTINCT unnest(tags) AS tag FROM monitor) AS used;

-- The installation-wide badge key is gone with the URLs it was part of.
DROP TABLE installation;
