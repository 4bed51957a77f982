-- The registry: teams, users and their memberships, virtual keys, the spend ledger with its daily rollup, and
-- the audit log of admin changes. Runs with search_path set to the HotDash schema, so names are unqualified.
--
-- Column names are LiteLLM's (its Prisma models LiteLLM_TeamTable, LiteLLM_UserTable, LiteLLM_TeamMembership,
-- LiteLLM_VerificationToken, LiteLLM_SpendLogs, LiteLLM_DailyUserSpend, LiteLLM_AuditLog) wherever LiteLLM has
-- the column, so its docs, scripts and SQL habits carry over. Where HotDash differs, on purpose: money is numeric
-- (LiteLLM: double precision), time is timestamptz, and spend_logs says start_time/end_time/user_id (LiteLLM:
-- "startTime"/"endTime", which need quoting, and "user", a reserved word).

CREATE TABLE teams (
    team_id               text        PRIMARY KEY,
    team_alias            text        UNIQUE,
    models                text[]      NOT NULL DEFAULT '{}',
    max_budget            numeric     CHECK (max_budget >= 0),
    budget_duration       text,
    budget_reset_at       timestamptz,
    tpm_limit             bigint      CHECK (tpm_limit >= 0),
    rpm_limit             bigint      CHECK (rpm_limit >= 0),
    max_parallel_requests integer     CHECK (max_parallel_requests >= 0),
    model_rpm_limit       jsonb       NOT NULL DEFAULT '{}',
    model_tpm_limit       jsonb       NOT NULL DEFAULT '{}',
    model_max_budget      jsonb       NOT NULL DEFAULT '{}',
    metadata              jsonb       NOT NULL DEFAULT '{}',
    blocked               boolean     NOT NULL DEFAULT false,
    spend                 numeric     NOT NULL DEFAULT 0,
    model_spend           jsonb       NOT NULL DEFAULT '{}',
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    user_id               text        PRIMARY KEY,
    user_alias            text,
    user_email            text,
    user_role             text,
    models                text[]      NOT NULL DEFAULT '{}',
    max_budget            numeric     CHECK (max_budget >= 0),
    budget_duration       text,
    budget_reset_at       timestamptz,
    tpm_limit             bigint      CHECK (tpm_limit >= 0),
    rpm_limit             bigint      CHECK (rpm_limit >= 0),
    max_parallel_requests integer     CHECK (max_parallel_requests >= 0),
    model_rpm_limit       jsonb       NOT NULL DEFAULT '{}',
    model_tpm_limit       jsonb       NOT NULL DEFAULT '{}',
    model_max_budget      jsonb       NOT NULL DEFAULT '{}',
    metadata              jsonb       NOT NULL DEFAULT '{}',
    spend                 numeric     NOT NULL DEFAULT 0,
    model_spend           jsonb       NOT NULL DEFAULT '{}',
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE team_memberships (
    team_id    text        NOT NULL REFERENCES teams (team_id) ON DELETE CASCADE,
    user_id    text        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    role       text        NOT NULL DEFAULT 'user' CHECK (role IN ('admin', 'user')),
    spend      numeric     NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_memberships_user_id_idx ON team_memberships (user_id);

CREATE TABLE keys (
    -- Only the hash is stored: a raw sk- key cannot even be written here.
    token                 text        PRIMARY KEY CHECK (token ~ '^[0-9a-f]{64}$'),
    key_name              text,
    key_alias             text        UNIQUE,
    team_id               text        REFERENCES teams (team_id),
    user_id               text        REFERENCES users (user_id),
    models                text[]      NOT NULL DEFAULT '{}',
    aliases               jsonb       NOT NULL DEFAULT '{}',
    max_budget            numeric     CHECK (max_budget >= 0),
    budget_duration       text,
    budget_reset_at       timestamptz,
    tpm_limit             bigint      CHECK (tpm_limit >= 0),
    rpm_limit             bigint      CHECK (rpm_limit >= 0),
    max_parallel_requests integer     CHECK (max_parallel_requests >= 0),
    model_rpm_limit       jsonb       NOT NULL DEFAULT '{}',
    model_tpm_limit       jsonb       NOT NULL DEFAULT '{}',
    model_max_budget      jsonb       NOT NULL DEFAULT '{}',
    metadata              jsonb       NOT NULL DEFAULT '{}',
    blocked               boolean     NOT NULL DEFAULT false,
    expires               timestamptz,
    spend                 numeric     NOT NULL DEFAULT 0,
    model_spend           jsonb       NOT NULL DEFAULT '{}',
    created_by            text,
    updated_by            text,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX keys_team_id_idx ON keys (team_id);
CREATE INDEX keys_user_id_idx ON keys (user_id);
COMMENT ON COLUMN keys.token IS 'SHA-256 of the sk- key, lower-case hex (LiteLLM''s hash_token); the key itself is never stored';
COMMENT ON COLUMN keys.key_name IS 'the short visible form of the key, sk-...abcd (LiteLLM''s key_name)';

-- The ledger: one row per request, written once (request_id is the idempotency key of every retried batch).
CREATE TABLE spend_logs (
    request_id        text           PRIMARY KEY,
    call_type         text           NOT NULL DEFAULT '',
    api_key           text           NOT NULL DEFAULT '',
    team_id           text,
    user_id           text,
    end_user          text,
    model             text           NOT NULL DEFAULT '',
    model_group       text           NOT NULL DEFAULT '',
    model_id          text           NOT NULL DEFAULT '',
    prompt_tokens     bigint         NOT NULL DEFAULT 0,
    completion_tokens bigint         NOT NULL DEFAULT 0,
    total_tokens      bigint         GENERATED ALWAYS AS (prompt_tokens + completion_tokens) STORED,
    spend             numeric(18,10) NOT NULL DEFAULT 0,
    start_time        timestamptz    NOT NULL,
    end_time          timestamptz    NOT NULL,
    status            text           NOT NULL DEFAULT 'success' CHECK (status IN ('success', 'failure')),
    cache_hit         boolean        NOT NULL DEFAULT false,
    metadata          jsonb          NOT NULL DEFAULT '{}'
);
CREATE INDEX spend_logs_start_time_idx ON spend_logs (start_time);
CREATE INDEX spend_logs_api_key_idx ON spend_logs (api_key, start_time);
CREATE INDEX spend_logs_team_id_idx ON spend_logs (team_id, start_time) WHERE team_id IS NOT NULL;
CREATE INDEX spend_logs_user_id_idx ON spend_logs (user_id, start_time) WHERE user_id IS NOT NULL;
COMMENT ON COLUMN spend_logs.api_key IS 'keys.token of the key that paid, '''' for the master key (LiteLLM''s name)';
COMMENT ON COLUMN spend_logs.model IS 'the model the deployment ran; model_group is the public model name the client asked for';
COMMENT ON COLUMN spend_logs.model_id IS 'the deployment (model_info.id)';

-- Daily rollup of the ledger per key, team, user and public model name ('' where there is none, so the key is total).
CREATE TABLE spend_daily (
    date                date        NOT NULL,
    api_key             text        NOT NULL DEFAULT '',
    team_id             text        NOT NULL DEFAULT '',
    user_id             text        NOT NULL DEFAULT '',
    model               text        NOT NULL DEFAULT '',
    api_requests        bigint      NOT NULL DEFAULT 0,
    successful_requests bigint      NOT NULL DEFAULT 0,
    failed_requests     bigint      NOT NULL DEFAULT 0,
    prompt_tokens       bigint      NOT NULL DEFAULT 0,
    completion_tokens   bigint      NOT NULL DEFAULT 0,
    spend               numeric     NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (date, api_key, team_id, user_id, model)
);
CREATE INDEX spend_daily_api_key_idx ON spend_daily (api_key, date);
CREATE INDEX spend_daily_team_id_idx ON spend_daily (team_id, date);
CREATE INDEX spend_daily_user_id_idx ON spend_daily (user_id, date);
COMMENT ON COLUMN spend_daily.date IS 'the UTC day of spend_logs.start_time';
COMMENT ON COLUMN spend_daily.model IS 'spend_logs.model_group, or spend_logs.model when the row has no group';

CREATE TABLE audit_log (
    id                 bigserial   PRIMARY KEY,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    changed_by         text        NOT NULL DEFAULT '',
    changed_by_api_key text        NOT NULL DEFAULT '',
    action             text        NOT NULL,
    table_name         text        NOT NULL,
    object_id          text        NOT NULL,
    before_value       jsonb,
    updated_values     jsonb
);
CREATE INDEX audit_log_object_idx ON audit_log (table_name, object_id, id);
