namespace HotDash.Hosting.Configuration;

/// <summary>
/// <c>hotdash.analytics</c>: where traces, observations and scores are stored. ClickHouse when
/// <see cref="ClickHouseUrl"/> is set, else the embedded DuckDB file at <see cref="DuckDbPath"/>. The environment
/// (<c>CLICKHOUSE_URL</c>, <c>CLICKHOUSE_USER</c>, ... as Langfuse names them) wins over the file.
/// </summary>
public sealed class AnalyticsSettings
{
    /// <summary>
    /// ClickHouse's HTTP interface (<c>clickhouse_url</c>, <c>CLICKHOUSE_URL</c>), e.g. <c>http://clickhouse:8123</c>, without
    /// credentials (a <c>user:password@</c> in the written URL is moved to <see cref="ClickHouseUser"/> and
    /// <see cref="ClickHousePassword"/>). Null: the embedded DuckDB store.
    /// </summary>
    public string? ClickHouseUrl { get; init; }

    /// <summary>The ClickHouse user (<c>clickhouse_user</c>, <c>CLICKHOUSE_USER</c>); null: ClickHouse's <c>default</c> user.</summary>
    public string? ClickHouseUser { get; init; }

    /// <summary>The ClickHouse password (<c>clickhouse_password</c>, <c>CLICKHOUSE_PASSWORD</c>). Never logged.</summary>
    public string? ClickHousePassword { get; init; }

    /// <summary>The ClickHouse database (<c>clickhouse_database</c>, <c>CLICKHOUSE_DB</c>), default <c>default</c>; created when missing.</summary>
    public string ClickHouseDatabase { get; init; } = "default";

    /// <summary>Days of traces kept (<c>retention_days</c>, <c>HOTDASH_RETENTION_DAYS</c>); whole months older than that are dropped. Null keeps everything.</summary>
    public int? RetentionDays { get; init; }

    /// <summary>The embedded store's file (<c>duckdb_path</c>, <c>HOTDASH_DUCKDB_PATH</c>), default <c>{data_dir}/analytics.duckdb</c>; an absolute path.</summary>
    public string DuckDbPath { get; init; } = "";

    /// <summary>What the startup log and readiness name: <c>host:port/database</c> for ClickHouse, else the DuckDB file. No credentials.</summary>
    public string Describe() => ClickHouseUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        ? $"{uri.Host}:{uri.Port}/{ClickHouseDatabase}"
        : DuckDbPath;
}
