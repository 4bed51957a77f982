namespace HotDash.Analytics.DuckDb;

/// <summary>
/// The embedded store's schema: the ClickHouse store's tables (<c>Migrations/0001_langfuse_tables.sql</c>) in DuckDB
/// types. Times stay epoch-millisecond integers with a <c>day</c> date (so both stores compute the same days and months),
/// maps stay parallel key/value lists, costs are <c>DECIMAL(18,12)</c>. Instead of ReplacingMergeTree each table has the
/// primary key (project_id, id) and writes upsert keeping the newest <c>event_ts</c>.
/// </summary>
/// <remarks>No secondary indexes on purpose: DuckDB turns an update of an indexed row into delete + insert and checks
/// index constraints eagerly, and its zone maps already prune scans by project and day.</remarks>
public static class DuckDbSchema
{
    /// <summary>The ledger of applied migrations.</summary>
    internal const string Ledger = """
        CREATE TABLE IF NOT EXISTS schema_migrations
        (
            version INTEGER PRIMARY KEY,
            name VARCHAR NOT NULL,
            applied_at BIGINT NOT NULL
        )
        """;

    /// <summary>Every migration this build knows, in version order.</summary>
    public static IReadOnlyList<DuckDbMigration> All { get; } =
    [
        new(1, "langfuse_tables",
        [
            """
            CREATE TABLE IF NOT EXISTS traces
            (
                id VARCHAR NOT NULL,
                project_id VARCHAR NOT NULL,
                timestamp BIGINT NOT NULL,
                day DATE NOT NULL,
                name VARCHAR,
                user_id VARCHAR,
                session_id VARCHAR,
                release VARCHAR,
                version VARCHAR,
                environment VARCHAR NOT NULL,
                public BOOLEAN NOT NULL,
                bookmarked BOOLEAN NOT NULL,
                tags VARCHAR[] NOT NULL,
                input VARCHAR,
                output VARCHAR,
                metadata_keys VARCHAR[] NOT NULL,
                metadata_values VARCHAR[] NOT NULL,
                created_at BIGINT,
                updated_at BIGINT,
                event_ts BIGINT NOT NULL,
                is_deleted BOOLEAN NOT NULL DEFAULT false,
                PRIMARY KEY (project_id, id)
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS observations
            (
                id VARCHAR NOT NULL,
                trace_id VARCHAR NOT NULL,
                project_id VARCHAR NOT NULL,
                type VARCHAR,
                parent_observation_id VARCHAR,
                environment VARCHAR NOT NULL,
                start_time BIGINT NOT NULL,
                end_time BIGINT,
                completion_start_time BIGINT,
                day DATE NOT NULL,
                name VARCHAR NOT NULL,
                level VARCHAR NOT NULL,
                status_message VARCHAR,
                version VARCHAR,
                input VARCHAR,
                output VARCHAR,
                metadata_keys VARCHAR[] NOT NULL,
                metadata_values VARCHAR[] NOT NULL,
                model_parameters VARCHAR,
                provided_model_name VARCHAR,
                usage_details_keys VARCHAR[] NOT NULL,
                usage_details_values BIGINT[] NOT NULL,
                cost_details_keys VARCHAR[] NOT NULL,
                cost_details_values DECIMAL(18,12)[] NOT NULL,
                total_cost DECIMAL(18,12),
                prompt_name VARCHAR,
                prompt_version INTEGER,
                model_group VARCHAR,
                deployment VARCHAR,
                team_id VARCHAR,
                key_alias VARCHAR,
                end_user VARCHAR,
                cache_hit BOOLEAN NOT NULL,
                created_at BIGINT,
                updated_at BIGINT,
                event_ts BIGINT NOT NULL,
                is_deleted BOOLEAN NOT NULL DEFAULT false,
                PRIMARY KEY (project_id, id)
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS scores
            (
                id VARCHAR NOT NULL,
                project_id VARCHAR NOT NULL,
                trace_id VARCHAR,
                session_id VARCHAR,
                observation_id VARCHAR,
                timestamp BIGINT NOT NULL,
                day DATE NOT NULL,
                name VARCHAR,
                value DOUBLE,
                string_value VARCHAR,
                data_type VARCHAR,
                source VARCHAR,
                comment VARCHAR,
                metadata_keys VARCHAR[] NOT NULL,
                metadata_values VARCHAR[] NOT NULL,
                environment VARCHAR NOT NULL,
                config_id VARCHAR,
                created_at BIGINT,
                updated_at BIGINT,
                event_ts BIGINT NOT NULL,
                is_deleted BOOLEAN NOT NULL DEFAULT false,
                PRIMARY KEY (project_id, id)
            )
            """,
        ]),
    ];
}
