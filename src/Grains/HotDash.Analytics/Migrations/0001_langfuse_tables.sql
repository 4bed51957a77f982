-- Langfuse v3's traces, observations and scores, in the dialect ClickHouse 18.16 shares with current releases:
-- times are UInt64 epoch milliseconds with a `day` Date for monthly partitions (retention drops partitions, no TTL),
-- maps are parallel key/value arrays, booleans UInt8. ReplacingMergeTree(event_ts) makes re-inserting an event
-- idempotent and lets updates (e.g. generation-update) win by newer event_ts; read with FINAL.
CREATE TABLE IF NOT EXISTS traces
(
    id String,
    project_id String,
    timestamp UInt64,
    day Date,
    name Nullable(String),
    user_id Nullable(String),
    session_id Nullable(String),
    release Nullable(String),
    version Nullable(String),
    environment String,
    public UInt8,
    bookmarked UInt8,
    tags Array(String),
    input Nullable(String),
    output Nullable(String),
    metadata_keys Array(String),
    metadata_values Array(String),
    created_at UInt64,
    updated_at UInt64,
    event_ts UInt64,
    is_deleted UInt8
)
ENGINE = ReplacingMergeTree(event_ts)
PARTITION BY toYYYYMM(day)
ORDER BY (project_id, day, id);

CREATE TABLE IF NOT EXISTS observations
(
    id String,
    trace_id String,
    project_id String,
    type String,
    parent_observation_id Nullable(String),
    environment String,
    start_time UInt64,
    end_time Nullable(UInt64),
    completion_start_time Nullable(UInt64),
    day Date,
    name String,
    level String,
    status_message Nullable(String),
    version Nullable(String),
    input Nullable(String),
    output Nullable(String),
    metadata_keys Array(String),
    metadata_values Array(String),
    model_parameters Nullable(String),
    provided_model_name Nullable(String),
    usage_details_keys Array(String),
    usage_details_values Array(UInt64),
    provided_usage_details_keys Array(String),
    provided_usage_details_values Array(UInt64),
    cost_details_keys Array(String),
    cost_details_values Array(Float64),
    provided_cost_details_keys Array(String),
    provided_cost_details_values Array(Float64),
    total_cost Float64,
    prompt_name Nullable(String),
    prompt_version Nullable(UInt32),
    model_group Nullable(String),
    deployment Nullable(String),
    team_id Nullable(String),
    key_alias Nullable(String),
    end_user Nullable(String),
    cache_hit UInt8,
    created_at UInt64,
    updated_at UInt64,
    event_ts UInt64,
    is_deleted UInt8
)
ENGINE = ReplacingMergeTree(event_ts)
PARTITION BY toYYYYMM(day)
ORDER BY (project_id, type, day, id);

CREATE TABLE IF NOT EXISTS scores
(
    id String,
    project_id String,
    trace_id Nullable(String),
    session_id Nullable(String),
    observation_id Nullable(String),
    timestamp UInt64,
    day Date,
    name String,
    value Float64,
    string_value Nullable(String),
    data_type String,
    source String,
    comment Nullable(String),
    metadata_keys Array(String),
    metadata_values Array(String),
    environment String,
    created_at UInt64,
    updated_at UInt64,
    event_ts UInt64,
    is_deleted UInt8
)
ENGINE = ReplacingMergeTree(event_ts)
PARTITION BY toYYYYMM(day)
ORDER BY (project_id, day, name, id);
