-- Langfuse projects and their API key pairs (pk-lf-... / sk-lf-...), what the Langfuse-compatible public API opens.
-- Like Langfuse's ApiKey table the public key is stored as it is (it names the key) and the secret only as a hash:
-- here the SHA-256 hex of the sk-lf- key (as keys.token is of the sk- key) and its short visible form.
-- IF NOT EXISTS / ON CONFLICT: running this again on a schema that has it changes nothing.

CREATE TABLE IF NOT EXISTS projects (
    id         text        PRIMARY KEY CHECK (id <> ''),
    name       text        NOT NULL CHECK (name <> ''),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS project_api_keys (
    public_key         text        PRIMARY KEY CHECK (public_key ~ '^pk-lf-.+'),
    -- Only the hash is stored: a raw sk-lf- key cannot even be written here.
    secret_hash        text        NOT NULL UNIQUE CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
    display_secret_key text        NOT NULL,
    project_id         text        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    note               text,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS project_api_keys_project_id_idx ON project_api_keys (project_id);
COMMENT ON COLUMN project_api_keys.secret_hash IS 'SHA-256 of the sk-lf- key, lower-case hex; the secret itself is never stored';
COMMENT ON COLUMN project_api_keys.display_secret_key IS 'the short visible form of the secret, sk-lf-...abcd (Langfuse''s displaySecretKey)';

-- The project every installation has (Langfuse's headless init may add its own at start). Schema, not an admin
-- change: no audit row.
INSERT INTO projects (id, name) VALUES ('default', 'Default') ON CONFLICT (id) DO NOTHING;
