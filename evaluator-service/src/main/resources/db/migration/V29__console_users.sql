-- Console users (issue 13): form sign-in to the web console. Passwords are bcrypt hashes; sessions are
-- kept here, not in memory, so they survive a restart and work across evaluator instances.
CREATE TABLE console_user (
    id              uuid PRIMARY KEY,
    username        text        NOT NULL,
    password_hash   text        NOT NULL,
    access          text        NOT NULL CHECK (access IN ('full', 'read-only')),
    created_at      timestamptz NOT NULL,
    failed_sign_ins int         NOT NULL DEFAULT 0,   -- consecutive failures since the last success
    locked_until    timestamptz                       -- set when failed_sign_ins reaches the limit
);
CREATE UNIQUE INDEX console_user_username_key ON console_user (lower(username));

CREATE TABLE console_session (
    token_hash  text PRIMARY KEY,                     -- SHA-256 of the cookie's value
    user_id     uuid        NOT NULL REFERENCES console_user (id) ON DELETE CASCADE,
    csrf        text        NOT NULL,                 -- the token every form of this session carries
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX console_session_expires_idx ON console_session (expires_at);
