-- Langfuse v3's traces, observations and scores, in the dialect ClickHouse 18.16 shares with current releases:
-- times are Int64 epoch milliseconds with a `day` Date (the UTC date of the immutable trace timestamp, observation
-- start or score timestamp) for monthly partitions (retention drops partitions, no TTL); maps are parallel key/value
-- arrays; booleans UInt8; money Decimal(18,12), sent as JSON numbers, which ClickHouse parses exactly (floats it
-- parses only to within an ulp). ReplacingMergeTree(event_ts) keeps the newest row per sorting key; the key is
-- (project_id, day, id) and day never changes for an id, so a re-written row replaces its older copy. Read with FINAL.
-- Strings whose null must round-trip are Nullable; environment and level are stored normalised.
CREATE TABLE IF NOT EXISTS traces
(
    id String,
    project_id String,
    timestamp Int64,
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
    created_at Int64,
    updated_at Int64,
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
    start_time Int64,
    end_time Nullable(Int64),
    completion_start_time Nullable(Int64),
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
    usage_details_values Array(Int64),
    cost_details_keys Array(String),
    cost_details_values Array(Decimal(18, 12)),
    total_cost Nullable(Decimal(18, 12)),
    prompt_name Nullable(String),
    prompt_version Nullable(Int32),
    model_group Nullable(String),
    deployment Nullable(String),
    team_id Nullable(String),
    key_alias Nullable(String),
    end_user Nullable(String),
    cache_hit UInt8,
    created_at Int64,
    updated_at Int64,
    event_ts UInt64,
    is_deleted UInt8
)
ENGINE = ReplacingMergeTree(event_ts)
PARTITION BY toYYYYMM(day)
ORDER BY (project_id, day, id);

-- value_bits carries the IEEE-754 bits of the value (JSON float parsing on 18.16 may land an ulp off); value is
-- computed from them on insert, exactly, for filters and ad-hoc queries.
CREATE TABLE IF NOT EXISTS scores
(
    id String,
    project_id String,
    trace_id Nullable(String),
    session_id Nullable(String),
    observation_id Nullable(String),
    timestamp Int64,
    day Date,
    name String,
    value_bits Nullable(UInt64),
    value Nullable(Float64) MATERIALIZED if(isNull(value_bits), NULL, reinterpretAsFloat64(reinterpretAsString(assumeNotNull(value_bits)))),
    string_value Nullable(String),
    data_type Nullable(String),
    source Nullable(String),
    comment Nullable(String),
    metadata_keys Array(String),
    metadata_values Array(String),
    environment String,
    config_id Nullable(String),
    created_at Int64,
    updated_at Int64,
    event_ts UInt64,
    is_deleted UInt8
)
ENGINE = ReplacingMergeTree(event_ts)
PARTITION BY toYYYYMM(day)
ORDER BY (project_id, day, id);
